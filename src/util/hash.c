#include "hash.h"

#include <sys/random.h>
#include <time.h>
#include <unistd.h>

uint64_t hash_seed;

/* Draws the seed before main (and before any fuzz or test harness makes a
 * table): a profile cannot aim at slots it cannot predict. Without
 * getrandom, time and pid still differ from run to run. */
__attribute__((constructor)) static void hash_seed_init(void)
{
    uint64_t s = 0;
    struct timespec ts;

    if (getrandom(&s, sizeof s, GRND_NONBLOCK) != (ssize_t)sizeof s) {
        clock_gettime(CLOCK_REALTIME, &ts);
        s = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 32 ^ (uint64_t)getpid() << 16;
    }
    hash_seed = hash_u64(s) | 1;
}
