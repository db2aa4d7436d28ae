/* Switching the model's granularity in the explorer (issue 13). */
#include <stdio.h>

#include "app.h"
#include "ui_shared.h"

/* Placeholder until the granularity switch lands: says so, changes nothing. */
int app_set_granularity(struct app *a, enum granularity g)
{
    (void)g;
    snprintf(a->message, sizeof a->message, "granularity: not switchable yet");
    return -1;
}
