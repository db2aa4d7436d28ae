/* Loopback sockets for the unit tests' own servers: nothing leaves the
 * machine (127.0.0.1, a port the kernel picks). */
#ifndef EMBER_TESTS_LOOPBACK_H
#define EMBER_TESTS_LOOPBACK_H

/* A socket listening on 127.0.0.1 with the given backlog, into *fd;
 * returns its port. Fails the test when the kernel refuses. */
int loopback_listen(int *fd, int backlog);

#endif
