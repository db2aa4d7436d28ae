#include <pthread.h>

#include "two_cores.h"

void two_cores(void *(*fn)(void *), void *lo, void *hi)
{
    pthread_t th;

    if (pthread_create(&th, NULL, fn, hi)) {
        fn(hi);
        fn(lo);
        return;
    }
    fn(lo);
    pthread_join(th, NULL);
}
