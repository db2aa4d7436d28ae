/* ember: options, loading, then batch output (the UI comes later). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "granularity.h"
#include "app.h"
#include "base.h"
#include "dataset.h"
#include "decompress.h"
#include "export.h"
#include "fetch.h"
#include "fset.h"
#include "keymap.h"
#include "live.h"
#include "output.h"
#include "pyro.h"
#include "query.h"
#include "selector.h"
#include "source.h"
#include "srcfile.h"
#include "term.h"
#include "theme.h"
#include "text.h"
#include "units.h"
#include "xalloc.h"

#ifndef EMBER_VERSION
#define EMBER_VERSION "0.1.0"
#endif

enum { EXIT_USAGE = 1, EXIT_INPUT = 2 };
enum mode { MODE_UI, MODE_TOP, MODE_FOLDED, MODE_EXPORT, MODE_LIST };

struct options {
    enum mode mode;
    int raw;
    size_t limit;               /* rows of --top; 0 = all */
    int limit_set;
    const char *sample_type;
    const char *query, *from, *until, *group_by;
    const char *diff[2];        /* --diff BASE NEW: queries, or files */
    char *diff_query[2];
    int mono, view_set;
    const char *zoom;           /* --zoom: the flamegraph's zoom path */
    int view;                   /* an index of view_classes (parse_view); ui_run's
                                 * enum view_id names the first ones */
    struct load_options load;
    /* EMBER_TEST_SOURCE (for tests): the explorer's data set behind a slow
     * or failing test source, in front of it once the first screen is in. */
    int test_source_set;
    struct ds_test_spec test_source;
    /* URLs: --seconds, --every, --keep, --keep-steps, --record, timeouts
     * (urls and nurls are filled once the arguments are read) */
    struct live_options live;
    /* --url and its connection (profilecli's flags, or the environment):
     * the strings are ember's own copies, argv's are overwritten */
    char *url, *tenant, *username, *password, *token;
    const char *password_file, *token_file;
    struct pyro_conn conn;
    /* --output FILE [--format F] [--force]: an export (export.h) */
    const char *output;
    int format;                 /* enum export_format, or -1: from the name */
    int force;
    int mode_set;               /* --top was given */
    /* --base or --diff-base FILE, repeatable: loaded after the sources,
     * negated (base.h) */
    const char **bases;
    int nbases;
    enum base_kind base_kind;
    /* --list RE, --source-path DIRS, --trim-path PREFIXES (pprof's) */
    const char *list_re, *source_path, *trim_path;
};

/* A URL among the arguments: what is fetched (credentials and all), what
 * names it everywhere else, and its answer. */
struct url_arg {
    char *fetch;                /* NULL: the argument is a file */
    char *clean;                /* the URL without user:password@ */
    char source[256];           /* the source label: host:port */
    uint8_t *body;
    size_t len;
    int64_t time;               /* when the answer arrived */
    int fetched;                /* body is the answer (batch mode) */
};

extern const unsigned char ember_demo_data[];
extern const unsigned long long ember_demo_size;

static void usage(FILE *f)
{
    fputs("Usage: ember [OPTIONS] [FILE|URL...]\n"
          "Explore CPU, memory and lock profiles in the terminal.\n"
          "\n"
          "FILE is a pprof profile (raw, gzip or zstd) or folded stacks; '-' reads\n"
          "standard input; a directory stands for every profile in it. Several are\n"
          "merged into one data set; a directory skips files that are no profile.\n"
          "Without FILE, the explorer shows the bundled demo (batch output needs one).\n"
          "URL is http:// or https://, or host:port for a Go service's CPU profile\n"
          "(http://host:port/debug/pprof/profile?seconds=N, as go tool pprof reads it).\n"
          "\n"
          "Interactive (the default when standard output is a terminal):\n"
          "      --view VIEW         start in flame, table, both (default), sandwich,\n"
          "                          tags, compare, diff, metadata or source\n"
          "      --no-color          monochrome (also when NO_COLOR is set)\n"
          "      --keys              list every key of the UI and exit (? in the UI)\n"
          "      --group-by LABEL    the tag explorer's label (with --view tags)\n"
          "      --zoom PATH         open the flamegraph zoomed on the frame at PATH,\n"
          "                          'root;...;frame' as --folded writes a stack (what\n"
          "                          Y copies)\n"
          "      --diff BASE NEW     compare two files or two queries: opens the diff\n"
          "                          view (an existing path is a file; else a word\n"
          "                          with '{' is a query); with --top, -n rows\n"
          "                          sorted by the change of share (percentage\n"
          "                          points); with --top --raw,\n"
          "                          base_self, base_total, new_self, new_total, name\n"
          "                          sorted by name\n"
          "\n"
          "Output (batch mode, to standard output):\n"
          "      --top               the per-function table, sorted by self (the\n"
          "                          default when standard output is not a terminal)\n"
          "  -n, --nodes N           show N rows of --top (default 20; 0 = all)\n"
          "      --raw               with --top: self<TAB>total<TAB>name, exact values,\n"
          "                          every function\n"
          "      --folded            one 'root;...;leaf<TAB>value' line per stack\n"
          "      --list RE           go tool pprof -list: for each function matching RE\n"
          "                          (POSIX extended), its source with each line's\n"
          "                          flat and cum; --raw: exact values\n"
          "      --source-path DIRS  where --list and L (the source view) look for\n"
          "                          source files (':'-separated; default: the current\n"
          "                          directory), as pprof's -source_path\n"
          "      --trim-path PREFIXES  prefixes removed from recorded paths first\n"
          "                          (':'-separated), as pprof's -trim_path\n"
          "  -o, --output FILE       write the selection to FILE instead (atomically: a\n"
          "                          temporary file renamed; never over an existing\n"
          "                          file unless --force), in the format its name ends\n"
          "                          with: .pb.gz pprof, .folded or .txt folded stacks,\n"
          "                          .speedscope.json speedscope, .json Pyroscope's\n"
          "                          flamebearer, .svg an interactive flamegraph\n"
          "      --format F          pprof, folded, json, speedscope, svg or text (the\n"
          "                          --top table, every row), whatever FILE's name\n"
          "      --force             let --output replace an existing FILE\n"
          "\n"
          "Selecting (in the explorer and in batch output):\n"
          "  -q, --query QUERY       keep the samples a query selects, as Pyroscope\n"
          "                          writes it: [TYPE]{label=\"v\", l!=\"v\", l=~\"re\", l!~\"re\"};\n"
          "                          TYPE is NAME, NAME/UNIT or a Pyroscope type ID\n"
          "                          every sample has a file label (the file's name)\n"
          "      --from TIME         keep profiles taken at TIME or later: RFC 3339,\n"
          "      --until TIME        Unix seconds (or ms, us, ns of 13, 16, 19 digits),\n"
          "                          now or now-30m (s m h d w M y)\n"
          "\n"
          "Filtering (pprof's filters, in batch output and the explorer; RE is a\n"
          "POSIX extended regex, unanchored, matched against function names, file\n"
          "names and the mapping's file):\n"
          "      --focus RE          keep the stacks with a function matching RE\n"
          "      --ignore RE         drop the stacks with a function matching RE\n"
          "      --hide RE           remove the matching frames (cost to the caller)\n"
          "      --show RE           keep only the matching frames\n"
          "      --show-from RE      the root-most match becomes the root; stacks\n"
          "                          without one go (also --show_from)\n"
          "      --prune-from RE     drop the callees of the leaf-most match (pprof's\n"
          "                          simplified name; also --prune_from)\n"
          "Each may repeat: every --focus and every --show must match; any --ignore,\n"
          "--hide, --show-from or --prune-from does. --tagfocus is a query (-q).\n"
          "\n"
          "Loading:\n"
          "  -t, --sample-type NAME  the sample type to show (cpu, alloc_space, ...;\n"
          "                          NAME or NAME/UNIT); default: the profile's default,\n"
          "                          else its last type\n"
          "      --granularity G     what a frame is, as go tool pprof's -G: functions\n"
          "                          (default), filefunctions, files, lines (a frame\n"
          "                          per source line, inlined calls their own), or\n"
          "                          addresses; also --functions, --filefunctions,\n"
          "                          --files, --lines, --addresses\n"
          "      --base FILE         subtract FILE's samples, as pprof -base (the change\n"
          "                          since FILE: values may be negative; shares are of\n"
          "                          the sum of their sizes); repeatable: each is\n"
          "                          subtracted; FILE must have the profile's types\n"
          "      --diff-base FILE    the same as pprof -diff_base: shares are of FILE's\n"
          "                          total (not with --base)\n"
          "      --max-size SIZE     refuse files larger than SIZE once decompressed\n"
          "                          (default 1G; K, M, G suffixes); the memory of\n"
          "                          everything loaded is held to 4 x SIZE (--url: the\n"
          "                          profile; the server's lists: 4 or 8 MiB)\n"
          "\n"
          "URLs (live profiling):\n"
          "      --seconds N         a CPU profile's duration when the URL has no\n"
          "                          seconds= (default 10)\n"
          "      --every DURATION    fetch again every DURATION (15s, 1m, 500ms); in\n"
          "                          batch mode with --record: record until Ctrl-C\n"
          "      --keep DURATION     the explorer drops steps older than DURATION\n"
          "      --keep-steps N      the explorer keeps at most N steps per URL (360)\n"
          "      --record DIR        write every answer into DIR, exactly as received,\n"
          "                          one file named by its time and source\n"
          "      --connect-timeout DURATION  give up connecting after it (default 5s)\n"
          "      --timeout DURATION  give up a whole transfer after it (default: the\n"
          "                          URL's seconds= plus 15s)\n"
          "\n"
          "A Grafana Pyroscope server (no FILE; each also from EMBER_URL, EMBER_TENANT_ID,\n"
          "EMBER_USERNAME, EMBER_PASSWORD, EMBER_TOKEN, else profilecli's PROFILECLI_*):\n"
          "      --url URL           the server (a path prefix is kept: Grafana's\n"
          "                          /api/datasources/proxy/uid/UID); from the\n"
          "                          environment only when no FILE is given\n"
          "      --tenant-id ID      sent as X-Scope-OrgID\n"
          "      --username NAME     basic auth, with --password or --password-file\n"
          "      --password PW       its password (ember overwrites argv's copy at once,\n"
          "                          but prefer --password-file or EMBER_PASSWORD)\n"
          "      --password-file FILE  the password is FILE's first line\n"
          "      --token TOKEN       a bearer token (basic auth wins when both)\n"
          "      --token-file FILE   the token is FILE's first line\n"
          "With --url, --top, --raw, --folded and --diff print the server's merged\n"
          "profile (SelectMergeProfile: the whole tree) of the query (its type may be a\n"
          "type ID, else -t, else process_cpu:cpu:nanoseconds:cpu:nanoseconds) from\n"
          "--from to --until (default now-1h to now; a range longer than the server\n"
          "allows, 24h by default, is refused with its message).\n"
          "\n"
          "  -h, --help              show this help\n"
          "  -V, --version           show the version\n"
          "\n"
          "Exit status: 0 success, 1 bad usage, 2 bad input, 3 out of memory (or a\n"
          "failed terminal); 128+N when signal N ended the explorer (130 Ctrl-C,\n"
          "143 SIGTERM, 129 SIGHUP).\n", f);
}

static void usage_error(const char *fmt, const char *arg)
{
    text_say(fmt, arg);
    fputs("Try 'ember --help'.\n", stderr);
    exit(EXIT_USAGE);
}

/* The same tables the UI dispatches on and its ? overlay shows. */
static void print_keys(void)
{
    const struct keymap *km;

    for (size_t m = 0; (km = keymap_nth(m)); m++) {
        printf("%s\n", km->context);
        for (size_t i = 0; i < km->n; i++)
            printf("  %-10s %s\n", km->b[i].keys, km->b[i].help);
    }
}

/* The word --view takes for view v: the views with an enum view_id by
 * these names, the others by their class's name in lower case (metadata),
 * so that a view added to views.c's table opens with --view at once. */
static const char *view_word(int v, char *buf, size_t n)
{
    static const char *names[] = { [VIEW_FLAME] = "flame", [VIEW_TABLE] = "table",
                                   [VIEW_BOTH] = "both", [VIEW_SANDWICH] = "sandwich",
                                   [VIEW_TAGS] = "tags", [VIEW_COMPARE] = "compare",
                                   [VIEW_DIFF] = "diff" };
    size_t i = 0;

    if (v < (int)(sizeof names / sizeof *names))
        return names[v];
    for (const char *c = view_classes[v]->name; *c && i + 1 < n; c++)
        buf[i++] = (char)tolower((unsigned char)*c);
    buf[i] = '\0';
    return buf;
}

/* An index of view_classes; an unknown word is refused with the list. */
static int parse_view(const char *s)
{
    char word[64], want[512] = "", fmt[600];
    size_t at = 0;

    for (int v = 0; v < view_count; v++)
        if (!strcmp(s, view_word(v, word, sizeof word)))
            return v;
    for (int v = 0; v < view_count && at < sizeof want; v++)
        at += (size_t)snprintf(want + at, sizeof want - at, "%s%s",
                               !v ? "" : v + 1 < view_count ? ", " : " or ",
                               view_word(v, word, sizeof word));
    snprintf(fmt, sizeof fmt, "--view: want %s, not '%%s'", want);
    usage_error(fmt, s);
    return VIEW_BOTH;
}

/* EMBER_TEST_SOURCE=slow:500ms, fail, fail:3, slow:1s,fail:2 (see
 * ds_test_parse); a value it cannot read is a usage error. */
static void parse_test_source(struct options *o)
{
    const char *spec = getenv("EMBER_TEST_SOURCE");
    char err[128], msg[200];

    if (!spec || !*spec)
        return;
    if (ds_test_parse(spec, &o->test_source, err, sizeof err)) {
        snprintf(msg, sizeof msg, "EMBER_TEST_SOURCE: %s", err);
        usage_error("%s", msg);
    }
    o->test_source_set = 1;
}

enum { OPT_SECONDS = 1000, OPT_EVERY, OPT_KEEP, OPT_KEEP_STEPS, OPT_RECORD, OPT_CONNECT_TIMEOUT,
       OPT_TIMEOUT, OPT_URL, OPT_TENANT, OPT_USERNAME, OPT_PASSWORD, OPT_PASSWORD_FILE, OPT_TOKEN,
       OPT_TOKEN_FILE, OPT_FORMAT, OPT_FORCE, OPT_ZOOM, OPT_BASE, OPT_DIFF_BASE, OPT_FILTER, OPT_LIST,
       OPT_SOURCE_PATH, OPT_TRIM_PATH };
/* --granularity G, and pprof's names as flags: OPT_GRAN_FLAG + G */
enum { OPT_GRANULARITY = 3000, OPT_GRAN_FLAG };

/* A positive duration for option name, or a usage error. */
static int64_t duration_arg(const char *name, const char *arg)
{
    char fmt[128];
    int64_t ns;

    if (units_parse_duration(arg, &ns) || ns <= 0) {
        snprintf(fmt, sizeof fmt, "%s: not a duration: '%%s' (15s, 1.5m, 500ms, 1h)", name);
        usage_error(fmt, arg);
    }
    return ns;
}

/* A whole number from 1 to max for option name, or a usage error. */
static long count_arg(const char *name, const char *arg, long max)
{
    char fmt[128], *end;
    long v;

    errno = 0;
    v = strtol(arg, &end, 10);
    if (!isdigit((unsigned char)*arg) || *end || errno || v < 1 || v > max) {
        snprintf(fmt, sizeof fmt, "%s: want a whole number from 1 to %ld, not '%%s'", name, max);
        usage_error(fmt, arg);
    }
    return v;
}

static int seconds_given;       /* --seconds was given (its default is a value too) */

/* The options of URLs. */
static void parse_live_option(int c, struct live_options *l)
{
    switch (c) {
    case OPT_SECONDS:
        l->seconds = (int)count_arg("--seconds", optarg, 86400);
        seconds_given = 1;
        break;
    case OPT_EVERY: l->every_ns = duration_arg("--every", optarg); break;
    case OPT_KEEP: l->keep_ns = duration_arg("--keep", optarg); break;
    case OPT_KEEP_STEPS: l->keep_steps = (uint32_t)count_arg("--keep-steps", optarg, 1000000); break;
    case OPT_RECORD:
        if (!*optarg)
            usage_error("%s", "--record: want a directory");
        l->record_dir = optarg;
        break;
    case OPT_CONNECT_TIMEOUT:
        l->fetch.connect_timeout_ns = duration_arg("--connect-timeout", optarg);
        break;
    case OPT_TIMEOUT: l->fetch.timeout_ns = duration_arg("--timeout", optarg); break;
    }
}

/* A copy of a secret given in argv, whose bytes are then overwritten in
 * place, so that ps and /proc/PID/cmdline show '*'s (as curl does). */
static char *take_secret(char *arg)
{
    char *copy = xstrdup(arg);

    memset(arg, '*', strlen(arg));
    return copy;
}

static void set_string(char **to, char *value)
{
    free(*to);
    *to = value;
}

/* --url and the credentials of a Pyroscope server. */
static void parse_server_option(int c, struct options *o)
{
    switch (c) {
    case OPT_URL:
        set_string(&o->url, xstrdup(optarg));
        fetch_hide_credentials(optarg);         /* user:password@ in argv */
        break;
    case OPT_TENANT: set_string(&o->tenant, xstrdup(optarg)); break;
    case OPT_USERNAME: set_string(&o->username, xstrdup(optarg)); break;
    case OPT_PASSWORD: set_string(&o->password, take_secret(optarg)); break;
    case OPT_TOKEN: set_string(&o->token, take_secret(optarg)); break;
    case OPT_PASSWORD_FILE: o->password_file = optarg; break;
    case OPT_TOKEN_FILE: o->token_file = optarg; break;
    }
}

/* The first line of a file of a secret (without its line end), malloc'd;
 * NULL after the message. */
static char *read_secret_file(const char *option, const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    if (!f) {
        text_say("%s %s: %s", option, path, strerror(errno));
        return NULL;
    }
    n = getline(&line, &cap, f);
    fclose(f);
    if (n < 0) {
        free(line);
        line = xstrdup("");
        n = 0;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    if (!n) {
        text_say("%s %s: the file is empty (the secret is its first line)", option, path);
        free(line);
        return NULL;
    }
    return line;
}

/* The first of ember's and then profilecli's environment variable that is
 * set and not empty, copied; NULL when neither. */
static char *from_env(const char *ember, const char *profilecli)
{
    const char *v = getenv(ember);

    if (!v || !*v)
        v = getenv(profilecli);
    return v && *v ? xstrdup(v) : NULL;
}

/* The connection: each flag, else EMBER_*, else PROFILECLI_* (a URL from
 * the environment only when no FILE or URL is given: files win). A file's
 * secret wins over the environment's. Returns 0, or -1 after the message. */
static int resolve_server(struct options *o, int nargs)
{
    static const struct { size_t off; const char *ember, *profilecli; } env[] = {
        { offsetof(struct options, tenant), "EMBER_TENANT_ID", "PROFILECLI_TENANT_ID" },
        { offsetof(struct options, username), "EMBER_USERNAME", "PROFILECLI_USERNAME" },
        { offsetof(struct options, password), "EMBER_PASSWORD", "PROFILECLI_PASSWORD" },
        { offsetof(struct options, token), "EMBER_TOKEN", "PROFILECLI_TOKEN" },
    };

    if (!o->url && !nargs)
        o->url = from_env("EMBER_URL", "PROFILECLI_URL");
    if (!o->url)
        return 0;
    if (o->password_file) {
        set_string(&o->password, read_secret_file("--password-file", o->password_file));
        if (!o->password)
            return -1;
    }
    if (o->token_file) {
        set_string(&o->token, read_secret_file("--token-file", o->token_file));
        if (!o->token)
            return -1;
    }
    for (size_t i = 0; i < sizeof env / sizeof *env; i++) {
        char **field = (char **)((char *)o + env[i].off);

        if (!*field)
            *field = from_env(env[i].ember, env[i].profilecli);
    }
    o->conn = (struct pyro_conn){ .url = o->url, .tenant = o->tenant, .username = o->username,
                                  .password = o->password, .token = o->token,
                                  .fetch = o->live.fetch, .from = o->from, .until = o->until,
                                  .every_ns = o->live.every_ns };
    return 0;
}

static void free_server(struct options *o)
{
    char *secret[2] = { o->password, o->token };

    for (int i = 0; i < 2; i++)
        if (secret[i])
            memset(secret[i], 0, strlen(secret[i]));
    free(o->url), free(o->tenant), free(o->username), free(o->password), free(o->token);
}

/* --output, --format, --force. */
static void parse_output_option(int c, struct options *o)
{
    if (c == OPT_FORCE) {
        o->force = 1;
    } else if (c == OPT_FORMAT) {
        if ((o->format = export_format_parse(optarg)) < 0)
            usage_error("--format: want pprof, folded, json, speedscope, svg or text, not '%s'",
                        optarg);
    } else {
        if (!*optarg)
            usage_error("%s", "--output: want a file name");
        o->output = optarg;
    }
}

/* --output is batch mode of its own: not with --top, --folded or --raw;
 * its format is --format's or its name's. */
static void check_output_options(struct options *o)
{
    if (!o->output) {
        if (o->format >= 0 || o->force)
            usage_error("%s", "--format and --force go with --output FILE");
        return;
    }
    if (o->mode == MODE_FOLDED || o->raw || o->mode_set)
        usage_error("%s", "--output writes a file: --top, --folded and --raw write to "
                    "standard output");
    if (o->format < 0 && (o->format = export_format_of_path(o->output)) < 0)
        usage_error("--output: %s: no format in its name (.pb.gz, .folded, .txt, .json, "
                    ".speedscope.json, .svg): give --format", o->output);
    o->mode = MODE_EXPORT;
}

/* --granularity G or --G (pprof's -G): the last one given wins. */
static void parse_granularity_option(int c, struct options *o)
{
    enum granularity g = (enum granularity)(c - OPT_GRAN_FLAG);

    if (c == OPT_GRANULARITY && granularity_parse(optarg, &g)) {                /* one line: the words it takes */
        text_say("--granularity: want functions, filefunctions, files, lines or addresses, "
                 "not '%s'", optarg);
        exit(EXIT_USAGE);
    }
    o->load.granularity = g;
}

/* --base and --diff-base, as pprof: either (each repeatable), not both. */
static void add_base(struct options *o, enum base_kind kind)
{
    if (o->base_kind && o->base_kind != kind)
        usage_error("%s", "--base and --diff-base cannot both be given");
    o->base_kind = kind;
    o->bases = xreallocarray(o->bases, (size_t)o->nbases + 1, sizeof *o->bases);
    o->bases[o->nbases++] = optarg;
}

/* --focus RE and the others, in the order given: the filter set every
 * batch output and the explorer start with. */
static struct fset filters;

static void parse_filter(const char *option, const char *re)
{
    char err[256];

    if (fset_push(&filters, (enum fset_kind)fset_kind_parse(option), re, err, sizeof err)) {
        struct sbuf b = { 0 };

        text_escape(&b, re, strlen(re), TEXT_ESCAPE_DISPLAY);
        sbuf_addc(&b, 0);
        text_say("--%s: %s: %s", option, b.s, err);
        sbuf_free(&b);
        exit(EXIT_USAGE);
    }
}

static void parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        { "top", no_argument, NULL, 'T' },
        { "raw", no_argument, NULL, 'R' },
        { "folded", no_argument, NULL, 'F' },
        { "nodes", required_argument, NULL, 'n' },
        { "sample-type", required_argument, NULL, 't' },
        { "max-size", required_argument, NULL, 'M' },
        { "view", required_argument, NULL, 'v' },
        { "no-color", no_argument, NULL, 'C' },
        { "keys", no_argument, NULL, 'K' },
        { "query", required_argument, NULL, 'q' },
        { "from", required_argument, NULL, 'f' },
        { "until", required_argument, NULL, 'u' },
        { "group-by", required_argument, NULL, 'g' },
        { "diff", required_argument, NULL, 'D' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { "seconds", required_argument, NULL, OPT_SECONDS },
        { "every", required_argument, NULL, OPT_EVERY },
        { "keep", required_argument, NULL, OPT_KEEP },
        { "keep-steps", required_argument, NULL, OPT_KEEP_STEPS },
        { "record", required_argument, NULL, OPT_RECORD },
        { "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
        { "timeout", required_argument, NULL, OPT_TIMEOUT },
        { "url", required_argument, NULL, OPT_URL },
        { "tenant-id", required_argument, NULL, OPT_TENANT },
        { "username", required_argument, NULL, OPT_USERNAME },
        { "password", required_argument, NULL, OPT_PASSWORD },
        { "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
        { "token", required_argument, NULL, OPT_TOKEN },
        { "token-file", required_argument, NULL, OPT_TOKEN_FILE },
        { "output", required_argument, NULL, 'o' },
        { "format", required_argument, NULL, OPT_FORMAT },
        { "force", no_argument, NULL, OPT_FORCE },
        { "zoom", required_argument, NULL, OPT_ZOOM },
        { "granularity", required_argument, NULL, OPT_GRANULARITY },
        { "functions", no_argument, NULL, OPT_GRAN_FLAG + GRAN_FUNCTIONS },
        { "filefunctions", no_argument, NULL, OPT_GRAN_FLAG + GRAN_FILEFUNCTIONS },
        { "files", no_argument, NULL, OPT_GRAN_FLAG + GRAN_FILES },
        { "lines", no_argument, NULL, OPT_GRAN_FLAG + GRAN_LINES },
        { "addresses", no_argument, NULL, OPT_GRAN_FLAG + GRAN_ADDRESSES },
        { "base", required_argument, NULL, OPT_BASE },
        { "diff-base", required_argument, NULL, OPT_DIFF_BASE },
        /* pprof's filters; pprof's own spellings too */
        { "focus", required_argument, NULL, OPT_FILTER },
        { "ignore", required_argument, NULL, OPT_FILTER },
        { "hide", required_argument, NULL, OPT_FILTER },
        { "show", required_argument, NULL, OPT_FILTER },
        { "show-from", required_argument, NULL, OPT_FILTER },
        { "show_from", required_argument, NULL, OPT_FILTER },
        { "prune-from", required_argument, NULL, OPT_FILTER },
        { "prune_from", required_argument, NULL, OPT_FILTER },
        { "list", required_argument, NULL, OPT_LIST },
        { "source-path", required_argument, NULL, OPT_SOURCE_PATH },
        { "trim-path", required_argument, NULL, OPT_TRIM_PATH },
        { NULL, 0, NULL, 0 },
    };
    int c, at;
    char *end;

    *o = (struct options){ .mode = isatty(STDOUT_FILENO) ? MODE_UI : MODE_TOP, .limit = 20,
                           .view = VIEW_BOTH,
                           .load = { .max_size = DECOMPRESS_DEFAULT_CAP },
                           .live = { .seconds = LIVE_DEFAULT_SECONDS }, .format = -1 };
    argv[0] = (char *)"ember";  /* getopt's own messages name the program */
    while ((c = getopt_long(argc, argv, "n:t:q:o:hV", longopts, &at)) != -1) {
        switch (c) {
        case 'T': o->mode = MODE_TOP; o->mode_set = 1; break;
        case 'F': o->mode = MODE_FOLDED; break;
        case 'R': o->raw = 1; break;
        case 't': o->sample_type = optarg; break;
        case 'q': o->query = optarg; break;
        case 'f': o->from = optarg; break;
        case 'u': o->until = optarg; break;
        case 'g': o->group_by = optarg; break;
        case 'D':
            /* --diff takes two arguments: the next word is NEW */
            if (optind >= argc)
                usage_error("%s", "--diff needs BASE and NEW");
            o->diff[0] = optarg;
            o->diff[1] = argv[optind++];
            break;
        case 'n':
            o->limit = strtoul(optarg, &end, 10);
            if (!*optarg || *end || *optarg == '-')
                usage_error("-n: not a number: '%s'", optarg);
            o->limit_set = 1;
            break;
        case 'M':
            if (units_parse_size(optarg, &o->load.max_size) || !o->load.max_size)
                usage_error("--max-size: not a size: '%s'", optarg);
            break;
        case 'v': o->view = parse_view(optarg); o->view_set = 1; break;
        case 'C': o->mono = 1; break;
        case OPT_ZOOM: o->zoom = optarg; break;
        case OPT_GRANULARITY: case OPT_GRAN_FLAG + GRAN_FUNCTIONS:
        case OPT_GRAN_FLAG + GRAN_FILEFUNCTIONS: case OPT_GRAN_FLAG + GRAN_FILES:
        case OPT_GRAN_FLAG + GRAN_LINES: case OPT_GRAN_FLAG + GRAN_ADDRESSES:
            parse_granularity_option(c, o);
            break;
        case OPT_BASE: case OPT_DIFF_BASE: add_base(o, c == OPT_BASE ? BASE_SUBTRACT : BASE_DIFF); break;
        case OPT_FILTER: parse_filter(longopts[at].name, optarg); break;
        case OPT_LIST:
            if (!*optarg)       /* pprof: no list at all; a listing of every function is . */
                usage_error("--list: an empty RE lists nothing (every function: --list .)%s", "");
            o->mode = MODE_LIST, o->list_re = optarg;
            break;
        case OPT_SOURCE_PATH: o->source_path = optarg; break;
        case OPT_TRIM_PATH: o->trim_path = optarg; break;
        case 'K': print_keys(); exit(0);
        case 'h': usage(stdout); exit(0);
        case 'V': printf("ember %s\n", EMBER_VERSION); exit(0);
        case 'o': case OPT_FORMAT: case OPT_FORCE: parse_output_option(c, o); break;
        case OPT_SECONDS: case OPT_EVERY: case OPT_KEEP: case OPT_KEEP_STEPS: case OPT_RECORD:
        case OPT_CONNECT_TIMEOUT: case OPT_TIMEOUT:
            parse_live_option(c, &o->live);
            break;
        case OPT_URL: case OPT_TENANT: case OPT_USERNAME: case OPT_PASSWORD: case OPT_PASSWORD_FILE:
        case OPT_TOKEN: case OPT_TOKEN_FILE:
            parse_server_option(c, o);
            break;
        default: fputs("Try 'ember --help'.\n", stderr); exit(EXIT_USAGE);
        }
    }
    check_output_options(o);
    if (o->raw && o->mode == MODE_UI)
        o->mode = MODE_TOP;
    if (o->zoom && o->mode != MODE_UI)
        usage_error("%s", "--zoom goes with the explorer (a flamegraph zoomed there)");
    if (o->raw && o->mode != MODE_TOP && o->mode != MODE_LIST)
        usage_error("%s", "--raw goes with --top or --list");
    if (o->mode == MODE_LIST && (o->diff[0] || o->url || o->output))
        usage_error("%s", "--list lists one side of files: not with --diff, --url or --output");
    if (o->mode == MODE_LIST)   /* pprof's -list is per line */
        o->load.granularity = GRAN_LINES;
    if (o->raw && !o->limit_set)
        o->limit = 0;
    o->live.fetch.max_size = o->load.max_size;
    parse_test_source(o);
    filters_set_start(&filters);        /* the explorer starts with them */
}

/* Progress on a terminal's stderr, once loading has taken half a second:
 * reading each file, then the steps before the explorer shows (indexing
 * the call tree, the first query), so that no second passes blank. */
struct progress {
    const char *name;           /* what is being loaded, or NULL */
    struct timespec start;
    int on;                     /* stderr is a terminal */
};

static struct progress progress;

static double seconds_since(const struct timespec *t)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) * 1e-9;
}

/* "ember: STAGE NAME" and tail in place of the last line, once the work
 * has taken half a second (a quick load shows nothing). */
static void show_text(struct progress *pr, const char *stage, const char *tail)
{
    struct sbuf b = { 0 };

    if (!pr->on || seconds_since(&pr->start) < 0.5)
        return;
    sbuf_add(&b, "ember: ", 7);
    sbuf_add(&b, stage, strlen(stage));
    if (pr->name) {
        sbuf_addc(&b, ' ');
        text_escape(&b, pr->name, strlen(pr->name), TEXT_ESCAPE_DISPLAY);
    }
    sbuf_add(&b, tail, strlen(tail));
    term_status(b.s);
    sbuf_free(&b);
}

/* "ember: STAGE NAME... PCT%" (pct < 0: none) in place of the last line. */
static void show_line(struct progress *pr, const char *stage, double pct)
{
    char tail[32];

    if (pct < 0)
        snprintf(tail, sizeof tail, "...");
    else
        snprintf(tail, sizeof tail, "... %3.0f%%", pct * 100);
    show_text(pr, stage, tail);
}

/* "ember: fetching NAME ... 3.1s": the clock of a fetch. */
static void show_fetching(struct progress *pr)
{
    char tail[32];

    snprintf(tail, sizeof tail, " ... %.1fs", seconds_since(&pr->start));
    show_text(pr, "fetching", tail);
}

static void show_progress(void *ctx, const char *stage, double done)
{
    show_line(ctx, stage, done);
}

static void end_progress(struct progress *pr)
{
    (void)pr;
    term_status(NULL);
}

/* A file of a directory that is not a profile: one line, and loading goes on. */
static void warn_skipped(void *ctx, const char *path, const char *why)
{
    end_progress(ctx);
    text_say("%s: %s", path, why);
}

/* Whether a path reads standard input (then its keys are data). */
static int reads_stdin(char **paths, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(paths[i], "-"))
            return 1;
    return 0;
}

static int64_t now_ns(clockid_t c)
{
    struct timespec ts;

    clock_gettime(c, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void url_args_free(struct url_arg *ua, int n);

/* Which arguments are URLs: each gets its URL to fetch (fetch_url_for),
 * and the argument itself becomes the URL without credentials, so that
 * no title or message shows them; in argv they are overwritten, so that
 * ps does not show them either. Fills o->live's URL list. Returns NULL
 * after a usage error. */
static struct url_arg *url_args(char **paths, int n, struct options *o)
{
    struct url_arg *ua = xcalloc((size_t)n + 1, sizeof *ua);
    char url[4096], err[128];

    o->live.urls = xcalloc((size_t)n + 1, sizeof *o->live.urls);
    for (int i = 0; i < n; i++) {
        if (!fetch_is_url(paths[i]))
            continue;
        if (fetch_url_for(paths[i], o->live.seconds, url, sizeof url, err, sizeof err)) {
            char *clean = fetch_clean_url(paths[i]);

            text_say("%s: %s", clean, err);
            free(clean);
            url_args_free(ua, n);
            free(o->live.urls);
            o->live.urls = NULL;
            o->live.nurls = 0;
            return NULL;
        }
        fetch_hide_credentials(paths[i]);       /* argv's own bytes */
        ua[i].fetch = xstrdup(url);
        ua[i].clean = fetch_clean_url(url);
        fetch_source_name(url, ua[i].source, sizeof ua[i].source);
        paths[i] = ua[i].clean;
        o->live.urls[o->live.nurls++] = ua[i].fetch;
    }
    return ua;
}

static void url_args_free(struct url_arg *ua, int n)
{
    for (int i = 0; ua && i < n; i++) {
        free(ua[i].fetch);
        free(ua[i].clean);
        free(ua[i].body);
    }
    free(ua);
}

struct batch_fetch {
    struct url_arg *ua;
    int left;
    char err[FETCH_ERR_MAX];
    int failed;                 /* the first failure's index + 1 */
};

static void batch_done(void *ctx, struct fetch *t)
{
    struct batch_fetch *b = ctx;

    b->left--;
    (void)t;
}

/* Fetches every URL argument at once (one fetcher, a transfer each).
 * Returns 0, or -1 after the one line of the first that failed (the
 * others' answers are kept all the same). */
static int fetch_urls(struct url_arg *ua, int n, const struct options *o)
{
    struct fetcher *f = fetcher_new();
    struct fetch **t = xcalloc((size_t)n + 1, sizeof *t);
    struct batch_fetch b = { .ua = ua };
    struct pollfd fds[64];
    int r = 0;

    for (int i = 0; i < n; i++)
        if (ua[i].fetch) {
            t[i] = fetch_start(f, ua[i].fetch, &o->live.fetch, batch_done, &b);
            b.left++;
        }
    fetcher_step(f);
    while (b.left > 0) {
        int nf = fetcher_fds(f, fds, 64);
        int64_t d = fetcher_deadline(f), now = now_ns(CLOCK_MONOTONIC);
        /* at least every 100 ms: the progress line's clock */
        int ms = d == INT64_MAX || d - now > 100000000LL ? 100 :
                 d <= now ? 0 : (int)((d - now) / 1000000 + 1);

        poll(fds, (nfds_t)nf, ms);
        fetcher_step(f);
        show_fetching(&progress);
    }
    for (int i = 0; i < n; i++) {
        if (!t[i])
            continue;
        if (fetch_state(t[i]) == FETCH_DONE) {
            ua[i].body = fetch_take_body(t[i], &ua[i].len);
            ua[i].time = fetch_ended(t[i]);
            ua[i].fetched = 1;
        } else if (!r) {
            end_progress(&progress);
            text_say("%s: %s", ua[i].clean, fetch_error(t[i]));
            r = -1;
        }
        fetch_free(t[i]);
    }
    free(t);
    fetcher_free(f);
    return r;
}

/* --record in batch mode: an answer that loaded, into the folder (at
 * once: another URL's failure must not lose it). Returns 0, or -1 after
 * the message. */
static int record_url(const struct url_arg *u, const char *dir)
{
    char path[4096], err[4200];

    if (!dir || !record_write(dir, u->source, u->time, u->body, u->len, path, sizeof path, err,
                              sizeof err))
        return 0;
    end_progress(&progress);
    text_say("--record: %s", err);
    return -1;
}

/* One base: read again, "-" is the standard input source.c kept (the
 * pipe is empty by now). */
static int load_base(struct profile *p, const char *path, const struct load_options *lo,
                     int again, char *why)
{
    const uint8_t *in;
    size_t len;

    if (!again || strcmp(path, "-"))
        return source_load_path(p, path, lo, why);
    if (!(in = source_stdin_kept(&len))) {
        snprintf(why, SOURCE_ERR_MAX, "standard input was not kept");
        return -1;
    }
    return source_load_buffer(p, "stdin", in, len, lo, why);
}

/* Loads the --base (--diff-base) files after the profile's and negates
 * them: each must have samples and the profile's types. Read again (a
 * granularity switch), "-" is the standard input source.c kept. -1 with
 * the reason, naming the file, in err. */
static int add_bases(struct profile *p, const struct options *o, const struct load_options *lo,
                     int again, char *err)
{
    char why[SOURCE_ERR_MAX];
    struct load_options blo = *lo;
    uint32_t first = p->nsources;

    blo.empty_ok = 0;
    for (int i = 0; i < o->nbases; i++) {
        uint32_t from = p->nsources;

        fatal_set_context(o->bases[i]);
        if (load_base(p, o->bases[i], &blo, again, why) || base_check(p, from, why, sizeof why)) {
            fatal_set_context(NULL);
            snprintf(err, SOURCE_ERR_MAX, "%.200s: %.280s", o->bases[i], why);
            return -1;
        }
    }
    fatal_set_context(NULL);
    base_mark(p, first, o->base_kind);
    return 0;
}

static int load_bases(struct profile *p, const struct options *o, const struct load_options *lo)
{
    char err[SOURCE_ERR_MAX];

    if (o->live.nurls) {
        text_say("--base and --diff-base take the place of files, not of URLs");
        return -1;
    }
    if (add_bases(p, o, lo, 0, err)) {
        text_say("%s", err);
        return -1;
    }
    return 0;
}

/* Loads every path (the demo when there is none). Returns 0, or -1 after
 * printing the one line that names the file. For the explorer, q cancels
 * the load (term_load_begin) and the call tree is indexed here. */
static int load_all(struct profile *p, char **paths, int n, struct url_arg *ua,
                    const struct options *o)
{
    char err[SOURCE_ERR_MAX], several[32];
    struct load_options lo = o->load;
    struct progress *pr = &progress;

    if (o->mode == MODE_UI && !reads_stdin(paths, n) && !reads_stdin((char **)o->bases, o->nbases))
        term_load_begin();
    p->granularity = o->load.granularity;       /* what the frames are made at */
    lo.warn = warn_skipped;
    lo.warn_ctx = pr;
    lo.empty_ok = n > 1;        /* among several, an idle profile is one like any other */
    lo.keep_stdin = o->mode == MODE_UI;         /* r reads it again; batch output once */
    if (o->mode == MODE_UI) {
        static const uint8_t first[] = APP_INIT_ARRAYS;

        memcpy(lo.stock, first, sizeof first);
    }
    pr->on = isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &pr->start);
    if (pr->on) {
        lo.progress = show_progress;
        lo.progress_ctx = pr;
    }

    if (!n && source_load_pack(p, ember_demo_data, (size_t)ember_demo_size, &o->load, err)) {
        text_say("demo: %s", err);
        return -1;
    }
    /* the explorer opens at once and its live data set makes the first
     * fetch in the background (ds_live); batch output waits for it here */
    int prefetch = o->live.nurls && o->mode != MODE_UI;

    if (prefetch) {
        snprintf(several, sizeof several, "%d URLs", o->live.nurls);
        pr->name = o->live.nurls > 1 ? several : NULL;
        for (int i = 0; i < n && !pr->name; i++)
            pr->name = ua[i].fetch ? ua[i].source : NULL;
    }
    int failed = prefetch && fetch_urls(ua, n, o);

    for (int i = 0; i < n; i++) {
        if (ua[i].fetch && !ua[i].fetched)     /* failed, or the explorer's to fetch */
            continue;
        pr->name = paths[i];
        fatal_set_context(paths[i]);        /* out of memory names the file */
        if (ua[i].fetch ? source_load_url(p, ua[i].clean, ua[i].source, ua[i].time, ua[i].body,
                                          ua[i].len, &lo, err)
                        : source_load_path(p, paths[i], &lo, err)) {
            fatal_set_context(NULL);
            end_progress(pr);
            text_say("%s: %s", paths[i], err);
            return -1;
        }
        if (ua[i].fetch && record_url(&ua[i], o->live.record_dir))
            return -1;
    }
    fatal_set_context(NULL);
    if (!failed && o->nbases && load_bases(p, o, &lo))
        return end_progress(pr), -1;
    if (failed) {               /* fetch_urls said which */
        end_progress(pr);
        return -1;
    }
    /* each file was let through empty: the set as a whole is not (the
     * explorer's URLs are still to come) */
    if (n && !p->nsamples && (prefetch || !o->live.nurls)) {
        end_progress(pr);
        if (n == 1)
            text_say("%s: no samples in any profile", paths[0]);
        else
            text_say("no samples in any profile");
        return -1;
    }
    profile_finish(p);
    if (o->mode == MODE_UI) {
        snprintf(several, sizeof several, "%d files", n);
        pr->name = n > 1 ? several : n ? paths[0] : "the demo";
        show_line(pr, "indexing", -1);
        trie_index(&p->trie);
    }
    end_progress(pr);
    pr->name = NULL;
    return 0;
}

/* The sample type to show, or UINT32_MAX after printing why none fits: the
 * type named, else the profile's default; a default with no samples
 * (.NET's lock_time) gives way to the first type that has some, with a note
 * on stderr in batch mode (the UI says it on its first screen). */
static uint32_t pick_type(const struct profile *p, const char *name, int batch)
{
    uint32_t t;

    if (!name) {
        t = query_nonempty_type(p, p->default_type);
        if (t != p->default_type && batch)
            text_say("note: the default sample type %s has no samples; showing %s",
                     profile_str(p, p->types[p->default_type].type),
                     profile_str(p, p->types[t].type));
        return t;
    }
    if ((t = profile_find_type(p, name)) != UINT32_MAX)
        return t;
    struct sbuf b = { 0 };

    profile_types_text(p, &b);
    text_say("no sample type '%s'; the profile has:%s", name, b.s ? b.s : "");
    sbuf_free(&b);
    return UINT32_MAX;
}

/* Whether -t NAME names the query's type: the same words, its type ID,
 * or its sample type without the unit (-t cpu beside process_cpu:cpu:...). */
static int types_agree(const char *t, const struct selector *sel)
{
    const char *slash = strchr(sel->type, '/');

    return !strcmp(t, sel->type) || (sel->type_id && !strcmp(t, sel->type_id)) ||
           (slash && !strchr(t, '/') && strlen(t) == (size_t)(slash - sel->type) &&
            !strncmp(t, sel->type, strlen(t)));
}

/* The present --from and --until are read against (a server's default
 * end is the same instant: now-25h..now is 25 h, not 25 h and 1 ms). */
static int64_t selection_now;

/* Parses --query, --from and --until before anything loads, so a typo
 * costs no wait. Returns 0, or -1 after printing the usage error. */
static int parse_selection(const struct options *o, struct selector *sel)
{
    char err[SELECTOR_ERR_MAX];
    struct timespec now;
    int64_t now_ns;

    clock_gettime(CLOCK_REALTIME, &now);
    now_ns = (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
    selection_now = now_ns;
    if (selector_parse(o->query ? o->query : "", sel, err)) {
        text_say("--query: %s", err);
        return -1;
    }
    if ((o->from && selector_parse_time(o->from, now_ns, &sel->from)) ||
        (o->until && selector_parse_time(o->until, now_ns, &sel->until))) {
        text_say("--%s: not a time: '%s' (RFC 3339, Unix seconds, now-1h)",
                o->from && selector_parse_time(o->from, now_ns, &sel->from) ? "from" : "until",
                o->from && selector_parse_time(o->from, now_ns, &sel->from) ? o->from : o->until);
        selector_free(sel);
        return -1;
    }
    if (sel->from > sel->until) {
        text_say("--from %s is after --until %s: no time is in that range", o->from, o->until);
        selector_free(sel);
        return -1;
    }
    if (o->sample_type && sel->type && !types_agree(o->sample_type, sel)) {
        text_say("-t %s and the query's %s disagree", o->sample_type, sel->type);
        selector_free(sel);
        return -1;
    }
    return 0;
}

/* --output: the selection (one side, or --diff's two) written to the
 * file. Returns an exit status after the one line that says why not. */
static int batch_export(struct profile *p, uint32_t type, const struct selector *sides,
                        int nsides, const struct options *o, const char *title)
{
    size_t bytes = (size_t)p->trie.count * sizeof(int64_t);
    int64_t *total[2] = { NULL, NULL };
    struct filter f[2];
    struct export_sel s = { .p = p, .type = type, .from = sides[0].from,
                            .until = sides[0].until, .zoom = TRIE_ROOT, .title = title,
                            .rgb = theme_hue_rgb };
    char err[512];
    uint64_t size;
    int r;

    trie_index(&p->trie);
    for (int i = 0; i < nsides; i++) {
        filter_build(&f[i], &sides[i], p);
        fset_apply(&filters, &f[i]);
        total[i] = xbig_realloc(NULL, 0, bytes);
        query_totals(p, type, &f[i], total[i]);
        s.filter[i] = &f[i];
        s.total[i] = total[i];
    }
    r = export_write(o->output, (enum export_format)o->format, &s, o->force, &size, err,
                     sizeof err);
    if (r)
        text_say("%s: %s", o->output, err);
    for (int i = 0; i < nsides; i++) {
        filter_free(&f[i]);
        xbig_free(total[i], bytes);
    }
    return r ? EXIT_INPUT : 0;
}

/* --diff in batch mode: each side's table, joined by function. */
static void run_batch_diff(struct profile *p, uint32_t type, const struct selector *sides,
                           const struct options *o)
{
    int64_t *total = xbig_realloc(NULL, 0, (size_t)p->trie.count * sizeof *total);
    struct flat flat[2];
    struct filter f;

    for (int i = 0; i < 2; i++) {
        filter_build(&f, &sides[i], p);
        fset_apply(&filters, &f);
        query_totals_flat(p, type, &f, total, &flat[i]);
        filter_free(&f);
    }
    output_diff(stdout, p, type, &flat[0], &flat[1], o->raw, o->limit);
    flat_free(&flat[0]);
    flat_free(&flat[1]);
    xbig_free(total, (size_t)p->trie.count * sizeof *total);
}

/* A --diff argument names a file when that path exists, whatever
 * characters its name holds; otherwise a word with '{' is a query. */
static int diff_is_query(const char *w)
{
    struct stat st;

    return strchr(w, '{') && stat(w, &st) != 0;
}

/* {file="NAME"}: the file label of path w (its base name; "stdin" for -),
 * quoted as the query parser reads it back. */
static char *file_query(const char *w)
{
    const char *base = !strcmp(w, "-") ? "stdin" : strrchr(w, '/') ? strrchr(w, '/') + 1 : w;
    struct sbuf b = { 0 };

    sbuf_add(&b, "{file=", 6);
    selector_quote(&b, base);
    sbuf_addc(&b, '}');
    return b.s;
}

/* --diff BASE NEW: each is a query over the data set, or a file to load,
 * selected by its file label. Returns the paths to load (the arguments
 * plus such files), or NULL after a usage error. */
static char **diff_setup(struct options *o, char **args, int *n)
{
    char **paths = xcalloc((size_t)*n + 3, sizeof *paths), err[SELECTOR_ERR_MAX];
    struct selector check;
    int query[2] = { 0, 0 };

    memcpy(paths, args, (size_t)*n * sizeof *paths);
    for (int i = 0; i < 2 && o->diff[0]; i++) {
        const char *w = o->diff[i];

        if ((query[i] = diff_is_query(w))) {
            o->diff_query[i] = xstrdup(w);
        } else {
            o->diff_query[i] = file_query(w);
            paths[(*n)++] = (char *)w;
        }
        if (i == 1 && !query[0] && !query[1] && !strcmp(o->diff_query[0], o->diff_query[1])) {
            const char *base = strrchr(w, '/') ? strrchr(w, '/') + 1 : w;

            text_say("--diff: both files are named %s: a file is selected by its name, so "
                     "rename one", base);
            free(paths);
            return NULL;
        }
        if (selector_parse(o->diff_query[i], &check, err)) {
            text_say("--diff: %s: %s", w, err);
            free(paths);
            return NULL;
        }
        selector_free(&check);
    }
    return paths;
}

/* --top under filters: pprof's "Active filters:" and "Showing nodes
 * accounting for" lines, the shares of the total before the filters (as
 * pprof's, unless -relative_percentages). */
static void top_filtered(struct profile *p, uint32_t type, const struct filter *f,
                         const struct flat *flat, size_t limit)
{
    struct filter bare = *f;
    struct sbuf b = { 0 };

    bare.node_map = NULL;
    fset_text(&filters, &b, "\n");
    sbuf_addc(&b, 0);
    output_top_filtered(stdout, p, flat, type, limit, b.s, flat_whole(p, type, &bare));
    sbuf_free(&b);
}

/* --list: pprof's -list over the selection's totals. */
static int batch_list(struct profile *p, uint32_t type, const struct filter *f, int64_t *total,
                      const struct options *o)
{
    struct list_options lo = { o->list_re, o->source_path, o->trim_path, o->raw, 0 };
    struct filter bare;
    struct flat flat;
    char err[512];

    if (f) {
        bare = *f;
        bare.node_map = NULL;
    }
    /* the whole as --top's: the selection's before the filters */
    query_totals_flat(p, type, f ? &bare : NULL, total, &flat);
    lo.whole = flat.grand_total;
    flat_free(&flat);
    query_totals(p, type, f, total);
    if (output_list(stdout, p, type, total, &lo, err, sizeof err) >= 0)
        return 0;
    text_say("%s", err);
    return EXIT_INPUT;
}

/* Returns an exit status; what names the output in a message is the file
 * when there is one (else the message stands alone). */
static int run_batch(struct profile *p, uint32_t type, const struct selector *sel,
                     const struct options *o, const char *file)
{
    int64_t *total;
    struct flat flat;
    struct filter filter, *f = NULL;
    char err[256];
    int status = 0;

    if (o->mode == MODE_EXPORT)
        return batch_export(p, type, sel, 1, o, file ? file : "ember");
    total = xbig_realloc(NULL, 0, (size_t)p->trie.count * sizeof *total);

    if (sel->n || sel->from != INT64_MIN || sel->until != INT64_MAX || filters.n) {
        filter_build(&filter, sel, p);
        fset_apply(&filters, &filter);
        f = &filter;
    }

    if (o->mode == MODE_LIST) {
        status = batch_list(p, type, f, total, o);
    } else if (o->mode == MODE_FOLDED) {
        query_totals(p, type, f, total);
        trie_index(&p->trie);
        if (output_folded(stdout, p, total, o->load.max_size, err, sizeof err)) {
            if (file)
                text_say("%s: %s", file, err);
            else
                text_say("%s", err);
            status = EXIT_INPUT;
        }
    } else {
        query_totals_flat(p, type, f, total, &flat);
        if (o->raw)
            output_top_raw(stdout, p, &flat, o->limit);
        else if (filters.n)
            top_filtered(p, type, f, &flat, o->limit);
        else
            output_top(stdout, p, &flat, type, o->limit);
        flat_free(&flat);
    }
    if (f)
        filter_free(f);
    xbig_free(total, (size_t)p->trie.count * sizeof *total);
    return status;
}

/* What the explorer's granularity switch reads again (app_set_reload). */
struct reload {
    char **paths;
    int n;
    const struct options *o;
};

/* Every path again into p at g, as load_all read them, without a word on
 * stderr (the explorer has the terminal): standard input from the bytes
 * source.c kept, the demo from its pack. */
static int reload_sources(struct profile *p, enum granularity g, void *ctx, char *err)
{
    const struct reload *r = ctx;
    struct load_options lo = r->o->load;
    char why[SOURCE_ERR_MAX];
    size_t len;
    const uint8_t *in;

    lo.granularity = g;
    lo.empty_ok = 1;            /* the set had samples when it was first read */
    if (!r->n)
        return source_load_pack(p, ember_demo_data, (size_t)ember_demo_size, &lo, err);
    for (int i = 0; i < r->n; i++) {
        int stdin_path = !strcmp(r->paths[i], "-");

        if (stdin_path && !(in = source_stdin_kept(&len))) {
            snprintf(err, SOURCE_ERR_MAX, "standard input was not kept");
            return -1;
        }
        if (stdin_path ? source_load_buffer(p, "stdin", in, len, &lo, why)
                       : source_load_path(p, r->paths[i], &lo, why)) {
            snprintf(err, SOURCE_ERR_MAX, "%.200s: %.280s", r->paths[i], why);
            return -1;
        }
    }
    /* the bases are sources too: read again and negated again */
    return r->o->nbases ? add_bases(p, r->o, &lo, 1, err) : 0;
}

/* The profile came on standard input (read and kept): the explorer reads
 * its keys from the terminal instead, as less does. Without one, the
 * explorer says it cannot open. */
static void stdin_from_tty(void)
{
    int fd = open("/dev/tty", O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return;
    if (fd != STDIN_FILENO) {
        dup2(fd, STDIN_FILENO);
        close(fd);
    }
}

/* The header names what was loaded (one file, the demo, or a count) and
 * the query. */
static int run_ui(struct profile *p, uint32_t type, const struct side_spec *spec, char **paths,
                  int n, const struct options *o, const char *notice)
{
    char title[512];

    if (n == 0)
        snprintf(title, sizeof title, "demo");
    else if (n == 1)
        snprintf(title, sizeof title, "%s", paths[0]);
    else
        snprintf(title, sizeof title, "%s and %d more", paths[0], n - 1);
    if (o->query && *o->query && !o->diff[0])
        snprintf(title + strlen(title), sizeof title - strlen(title), " %s", o->query);
    share_set_zoom(o->zoom);
    if (reads_stdin(paths, n))
        stdin_from_tty();
    static struct reload again;

    again = (struct reload){ paths, n, o };
    app_set_reload(reload_sources, &again);
    /* erased when the explorer opens */
    show_line(&progress, "preparing the explorer", -1);
    int status = ui_run(p, type, spec, title, o->mono, o->view, o->group_by,
                        *notice ? notice : NULL, o->test_source_set ? &o->test_source : NULL,
                        o->live.nurls ? &o->live : NULL, o->url ? &o->conn : NULL);

    if (status < 0) {
        end_progress(&progress);
        fputs("ember: cannot open the terminal UI (use --top for batch output)\n", stderr);
        return EXIT_USAGE;
    }
    return status;
}

/* ---- the recorder: batch mode with --every and --record ---- */

static volatile sig_atomic_t stop_recording;

static void on_stop(int sig)
{
    (void)sig;
    stop_recording = 1;
}

static sigset_t recorder_wait_mask;    /* what ppoll unblocks: SIGINT, SIGTERM */

/* The recorder's signals, before anything else: the handlers, then SIGINT
 * and SIGTERM blocked but while it waits (ppoll), so that one that comes
 * between the check of stop_recording and the wait ends the wait at once,
 * and one that comes early (even before ember started: blocked and
 * pending) stops it with its summary. */
static void recorder_signals(void)
{
    struct sigaction sa = { .sa_handler = on_stop };
    sigset_t both;

    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigemptyset(&both);
    sigaddset(&both, SIGINT);
    sigaddset(&both, SIGTERM);
    sigprocmask(SIG_BLOCK, &both, &recorder_wait_mask);
    sigdelset(&recorder_wait_mask, SIGINT);
    sigdelset(&recorder_wait_mask, SIGTERM);
}

struct recorder {
    const struct options *o;
    struct url_arg *ua;
    int n;
    struct fetch **t;           /* per argument: its running transfer */
    int *got;                   /* per argument: profiles recorded */
    int recorded, failed;
};

/* An answer is recorded when it loads as a profile (the loaders say what
 * is wrong with one that does not), exactly as received. */
static void recorder_done(void *ctx, struct fetch *t)
{
    struct recorder *r = ctx;
    int i = 0;
    char err[4200], path[4096];
    size_t len;

    while (i < r->n && r->t[i] != t)
        i++;
    r->t[i] = NULL;
    if (fetch_state(t) != FETCH_DONE) {
        text_say("%s: %s", r->ua[i].clean, fetch_error(t));
        r->failed++;
        fetch_free(t);
        return;
    }
    const uint8_t *body = fetch_body(t, &len);
    struct profile check;
    struct load_options lo = r->o->load;

    lo.empty_ok = 1;            /* an idle service's CPU profile is a step too */
    profile_init(&check);
    if (source_load_url(&check, r->ua[i].clean, r->ua[i].source, fetch_ended(t), body, len, &lo,
                        err)) {
        text_say("%s: %s", r->ua[i].clean, err);
        r->failed++;
    } else if (record_write(r->o->live.record_dir, r->ua[i].source, fetch_ended(t), body, len,
                            path, sizeof path, err, sizeof err)) {
        text_say("--record: %s", err);
        r->failed++;
    } else {
        r->recorded++;
        r->got[i]++;
    }
    profile_free(&check);
    fetch_free(t);
}

/* Starts a fetch of every URL whose last one has ended (a slow answer
 * skips a period rather than piling up transfers). */
static void recorder_tick(struct recorder *r, struct fetcher *f)
{
    for (int i = 0; i < r->n; i++)
        if (r->ua[i].fetch && !r->t[i])
            r->t[i] = fetch_start(f, r->ua[i].fetch, &r->o->live.fetch, recorder_done, r);
}

/* Fetches every period until SIGINT or SIGTERM, which let the answer being
 * written finish; transfers still running are dropped. Exit status 0. */
static int run_recorder(struct url_arg *ua, int n, const struct options *o)
{
    struct recorder r = { .o = o, .ua = ua, .n = n };
    struct fetcher *f = fetcher_new();
    struct pollfd fds[64];
    int64_t next = now_ns(CLOCK_MONOTONIC);
    int sources = 0;

    r.t = xcalloc((size_t)n + 1, sizeof *r.t);
    r.got = xcalloc((size_t)n + 1, sizeof *r.got);
    while (!stop_recording) {
        int64_t now = now_ns(CLOCK_MONOTONIC), d;

        if (now >= next) {
            recorder_tick(&r, f);
            while (next <= now)
                next += o->live.every_ns;
        }
        fetcher_step(f);
        d = fetcher_deadline(f) < next ? fetcher_deadline(f) : next;
        now = now_ns(CLOCK_MONOTONIC);
        int nf = fetcher_fds(f, fds, 64);
        int64_t wait = d <= now ? 0 : d - now > 1000000000LL ? 1000000000LL : d - now;
        struct timespec ts = { (time_t)(wait / 1000000000LL), (long)(wait % 1000000000LL) };

        if (!stop_recording && ppoll(fds, (nfds_t)nf, &ts, &recorder_wait_mask) >= 0)
            fetcher_step(f);
    }
    for (int i = 0; i < n; i++) {
        fetch_cancel(r.t[i]);
        sources += r.got[i] > 0;
    }
    fetcher_free(f);
    text_say("recorded %d profile%s from %d source%s into %s, %d failed", r.recorded,
             r.recorded == 1 ? "" : "s", sources, sources == 1 ? "" : "s", o->live.record_dir,
             r.failed);
    free(r.t);
    free(r.got);
    return 0;
}

/* What URLs ask of the mode: the recorder takes URLs only and needs
 * --record; --keep is the explorer's. Returns 0, or -1 after the usage
 * line. */
static int check_live(const struct options *o, int npaths)
{
    const struct live_options *l = &o->live;

    if (!l->nurls && (l->every_ns || l->keep_ns || l->keep_steps || l->record_dir)) {
        text_say("--every, --keep, --keep-steps and --record go with a URL");
        return -1;
    }
    if (!l->nurls && (seconds_given || l->fetch.timeout_ns || l->fetch.connect_timeout_ns)) {
        text_say("--seconds, --timeout and --connect-timeout go with a URL");
        return -1;
    }
    if (o->mode == MODE_UI || !l->every_ns)
        return 0;
    if (!l->record_dir) {
        text_say("--every in batch mode records: it needs --record DIR (or the explorer)");
        return -1;
    }
    if (l->nurls != npaths || o->diff[0]) {
        text_say("the recorder (--every in batch mode) takes URLs only");
        return -1;
    }
    return 0;
}

/* What --base and --diff-base go with: local profiles to subtract from. */
static int check_base(const struct options *o, int npaths)
{
    if (!o->nbases)
        return 0;
    if (o->diff[0]) {
        text_say("--base and --diff-base do not go with --diff (a diff of its own)");
        return -1;
    }
    if (!npaths || o->url) {
        text_say("--base and --diff-base need a profile FILE to subtract from");
        return -1;
    }
    for (int i = 0; i < o->nbases; i++)
        if (strstr(o->bases[i], "://")) {
            text_say("--base and --diff-base take files, not URLs");
            return -1;
        }
    return 0;
}

/* --record's folder, checked before a fetch takes its seconds: a
 * directory ember may write into. Returns 0, or -1 after the message. */
static int check_record_dir(const char *dir)
{
    struct stat st;

    if (!dir)
        return 0;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
        errno = ENOTDIR;
    else if (access(dir, W_OK | X_OK) == 0)
        return 0;
    text_say("--record: cannot write into %s: %s", dir, strerror(errno));
    return -1;
}

/* Without a source, only the explorer has something to show: the demo. */
static int need_source(const struct options *o, int npaths)
{
    if (o->mode == MODE_UI || npaths)
        return 0;
    fputs("ember: no FILE: batch output needs a profile, a directory or - (standard input); "
          "only the explorer opens the demo\n", stderr);
    return -1;
}

/* --diff's two sides: its queries, within --from/--until. */
static void diff_sides(const struct options *o, const struct selector *sel, struct selector *sides)
{
    char err[SELECTOR_ERR_MAX];

    for (int i = 0; i < 2; i++) {
        selector_parse(o->diff_query[i], &sides[i], err);      /* diff_setup checked it */
        sides[i].from = sel->from;
        sides[i].until = sel->until;
    }
}

/* The sample types side s has, comma separated, into b (text_say escapes
 * the whole message). */
static void list_types(struct sbuf *b, const struct profile *p, const uint8_t *has)
{
    int first = 1;

    for (uint32_t t = 0; t < p->ntypes; t++) {
        const char *name = profile_str(p, p->types[t].type);

        if (!has[t])
            continue;
        if (!first)
            sbuf_add(b, ", ", 2);
        sbuf_add(b, name, strlen(name));
        first = 0;
    }
}

/* A diff compares one sample type on both sides: a side has a type when
 * some sample it selects has a non-zero value of it (a cpu file has none
 * of a heap file's). Returns 0, or -1 after naming each side's types. */
static int diff_check_types(const struct profile *p, uint32_t type, const struct selector *sides,
                            const struct options *o)
{
    uint8_t *has[2];
    int n[2], common = 0, r = 0;
    struct filter f;

    for (int i = 0; i < 2; i++) {
        has[i] = xmalloc(p->ntypes + 1);
        filter_build(&f, &sides[i], p);
        n[i] = selector_types_present(p, &f, has[i]);
        filter_free(&f);
    }
    for (uint32_t t = 0; t < p->ntypes; t++)
        common += has[0][t] && has[1][t];
    if (n[0] && n[1] && !(has[0][type] && has[1][type])) {
        struct sbuf b = { 0 };

        for (int i = 0; i < 2; i++) {
            sbuf_add(&b, i ? "; " : "", i ? 2 : 0);
            sbuf_add(&b, o->diff[i], strlen(o->diff[i]));
            sbuf_add(&b, " has ", 5);
            list_types(&b, p, has[i]);
        }
        sbuf_addc(&b, '\0');
        if (!common)
            text_say("--diff: no sample type in common: %s", b.s);
        else
            text_say("--diff: not both sides have %s: %s; choose one both have with -t",
                     profile_str(p, p->types[type].type), b.s);
        sbuf_free(&b);
        r = -1;
    }
    free(has[0]);
    free(has[1]);
    return r;
}

/* What the selection asks for that the data set lacks (a label no sample
 * has, a time range no profile is in): a warning line each in batch mode;
 * the explorer shows the first in its status bar (notice). */
static void selection_hints(struct profile *p, const struct selector *sel,
                            const struct selector *sides, const struct options *o, char *notice,
                            size_t size)
{
    char msg[3][512];
    int said[3] = {
        selector_unknown_label(sides ? &sides[0] : sel, p, msg[0], sizeof msg[0]),
        sides && selector_unknown_label(&sides[1], p, msg[1], sizeof msg[1]),
        selector_range_hint(sel, p, msg[2], sizeof msg[2]),
    };

    if (said[0] && said[1] && !strcmp(msg[0], msg[1]))
        said[1] = 0;            /* the same typo on both sides: once */
    for (int i = 0; i < 3; i++) {
        if (said[i] && o->mode != MODE_UI)
            text_say("warning: %s", msg[i]);
        else if (said[i] && !*notice)
            snprintf(notice, size, "%.500s", msg[i]);
    }
}

/* The explorer, on --diff's two sides or the query's one. */
static int open_ui(struct profile *p, uint32_t type, const struct selector *sel, char **paths,
                   int npaths, struct options *o, const char *notice)
{
    struct side_spec spec[2] = {
        { o->diff[0] ? o->diff_query[0] : o->query, sel->from, sel->until },
        { o->diff[0] ? o->diff_query[1] : NULL, sel->from, sel->until },
    };

    if (o->diff[0] && !o->view_set)
        o->view = VIEW_DIFF;
    return run_ui(p, type, spec, paths, npaths, o, notice);
}

/* After loading: what the options ask of the data set, checked, then
 * shown. Returns an exit status. */
static int run(struct profile *p, const struct selector *sel, char **paths, int npaths,
               struct options *o)
{
    struct selector sides[2];
    char notice[512] = "", msg[512];

    if (!p->ntypes)     /* the live explorer before its first profile: nothing to check yet */
        return open_ui(p, UINT32_MAX, sel, paths, npaths, o, notice);

    uint32_t type = pick_type(p, o->sample_type ? o->sample_type : sel->type, o->mode != MODE_UI);
    int status = 0;

    if (type == UINT32_MAX)
        return EXIT_USAGE;
    if (o->group_by && selector_label_hint(p, o->group_by, msg, sizeof msg)) {
        text_say("--group-by: %s", msg);
        return EXIT_USAGE;
    }
    if (o->mode != MODE_UI && fset_update(&filters, p, msg, sizeof msg)) {
        text_say("%s", msg);
        return EXIT_INPUT;
    }
    if (!o->diff[0]) {
        selection_hints(p, sel, NULL, o, notice, sizeof notice);
        if (o->mode == MODE_UI)
            return open_ui(p, type, sel, paths, npaths, o, notice);
        return run_batch(p, type, sel, o, npaths == 1 ? paths[0] : NULL);
    }
    diff_sides(o, sel, sides);
    if (diff_check_types(p, type, sides, o)) {
        status = EXIT_USAGE;
    } else {
        selection_hints(p, sel, sides, o, notice, sizeof notice);
        if (o->mode == MODE_UI)
            status = open_ui(p, type, sel, paths, npaths, o, notice);
        else if (o->mode == MODE_EXPORT)
            status = batch_export(p, type, sides, 2, o, "ember --diff");
        else
            run_batch_diff(p, type, sides, o);
    }
    selector_free(&sides[0]);
    selector_free(&sides[1]);
    return status;
}

/* ---- a Pyroscope server (--url) ---- */

/* profilecli's default profile type */
#define DEFAULT_TYPE_ID "process_cpu:cpu:nanoseconds:cpu:nanoseconds"

/* What --url does not take: files and the options of URL arguments. */
static int check_server(const struct options *o, int nargs)
{
    const struct live_options *l = &o->live;

    if (strncmp(o->url, "http://", 7) && strncmp(o->url, "https://", 8)) {
        char *clean = fetch_clean_url(o->url);

        text_say("--url: want http:// or https://, not '%s'", clean);
        free(clean);
        return -1;
    }
    if (nargs) {
        text_say("--url: the server is the source: no FILE or URL argument (%d given)", nargs);
        return -1;
    }
    if (l->keep_ns || l->keep_steps || l->record_dir || seconds_given) {
        text_say("--seconds, --keep, --keep-steps and --record go with URL arguments "
                 "(live profiling), not --url");
        return -1;
    }
    if (l->every_ns && o->mode != MODE_UI) {
        text_say("--every with --url re-runs the explorer's queries: batch output asks once");
        return -1;
    }
    return 0;
}

/* The range asked of the server, in milliseconds: --from and --until,
 * else now-1h and now (profilecli's defaults); --until alone starts an
 * hour before it, so that `--until now-2h` is not an inverted range. */
static void server_range(const struct selector *sel, int64_t *start_ms, int64_t *end_ms)
{
    int64_t now = selection_now;
    int64_t until = sel->until != INT64_MAX ? sel->until : now;
    int64_t from = sel->from != INT64_MIN ? sel->from : until - 3600 * 1000000000LL;

    *start_ms = from / 1000000;
    *end_ms = until / 1000000;
}

/* The server's type whose sample type (and unit, when name has one) name
 * gives, from ProfileTypes over the range; NULL after the message, which
 * lists the first TYPES_LISTED of the server's types (one line, even for a
 * server of thousands). */
#define TYPES_LISTED 8u

static char *find_type_id(const struct options *o, const char *name, int64_t start, int64_t end,
                          const char *server)
{
    struct pyro_ask q = { .method = PYRO_PROFILE_TYPES, .start_ms = start, .end_ms = end };
    struct pyro_answer a;
    char err[PYRO_ERR_MAX], *id = NULL;
    const char *slash = strchr(name, '/');
    size_t len = slash ? (size_t)(slash - name) : strlen(name);
    struct sbuf b = { 0 };

    if (pyro_call_blocking(&o->conn, &q, &a, err, sizeof err)) {
        text_say("%s: %s", server, err);
        return NULL;
    }
    for (uint32_t i = 0; i < a.ntypes && !id; i++) {
        const struct pyro_type *t = &a.types[i];

        if (strlen(t->sample_type) == len && !strncmp(t->sample_type, name, len) &&
            (!slash || !strcmp(slash + 1, t->sample_unit)))
            id = xstrdup(t->id);
        if (i < TYPES_LISTED) {
            sbuf_addc(&b, ' ');
            sbuf_add(&b, t->id, strlen(t->id));
        }
    }
    if (!id && a.ntypes > TYPES_LISTED)
        text_say("%s: no profile type of sample type '%s' in the range; the server has:%s "
                 "... and %u more", server, name, b.s, a.ntypes - TYPES_LISTED);
    else if (!id)
        text_say("%s: no profile type of sample type '%s' in the range; the server has:%s",
                 server, name, b.s ? b.s : " none");
    sbuf_free(&b);
    pyro_answer_free(&a);
    return id;
}

/* The type ID a side asks for: its query's, else -t's when it is one,
 * else the server's type that the query's or -t's sample type names, else
 * profilecli's default. NULL after the message. */
static char *side_type_id(const struct options *o, const struct selector *side,
                          const struct selector *t, int64_t start, int64_t end, const char *server)
{
    const char *name = side->type ? side->type : t->type;

    if (side->type_id)
        return xstrdup(side->type_id);
    if (!side->type && t->type_id)
        return xstrdup(t->type_id);
    if (name)
        return find_type_id(o, name, start, end, server);
    return xstrdup(DEFAULT_TYPE_ID);
}

/* The explorer on the server: an empty data set, the queries as given
 * (the remote data set asks the server). */
static int run_server_ui(struct options *o, const struct selector *sel, const char *server)
{
    struct profile p;
    char *title = (char *)server, *clean = fetch_clean_url(o->url);
    int status;

    share_set_server(clean, o->conn.tenant);    /* Y's line: no credentials */
    free(clean);
    for (int i = 0; i < 2 && o->diff[0]; i++)
        o->diff_query[i] = xstrdup(o->diff[i]);
    profile_init(&p);
    p.granularity = o->load.granularity;        /* the answers load at it (ds_remote) */
    status = run(&p, sel, &title, 1, o);
    profile_free(&p);
    return status;
}

/* Each side's answer into p as a source named names[i]. Returns 0, or -1
 * after the message. */
static int load_answers(struct profile *p, struct pyro_answer *a, const char *const *names, int n,
                        const struct options *o, const char *server)
{
    struct load_options lo = o->load;
    char err[SOURCE_ERR_MAX];

    lo.empty_ok = 1;            /* a query that matches nothing: said below */
    for (int i = 0; i < n; i++)
        if (source_load_buffer(p, names[i], a[i].profile, a[i].profile_len, &lo, err)) {
            text_say("%s: the answer to SelectMergeProfile: %s", server, err);
            return -1;
        }
    if (!p->nsamples) {
        text_say("%s: no samples for %s in the range", server,
                 n == 2 ? "either side" : o->query ? o->query : "{}");
        return -1;
    }
    profile_finish(p);
    return 0;
}

/* The tables of the answers, as for files: one source per side, --diff's
 * sides selected by their names, the type the answer holds. */
static int print_answers(struct profile *p, const char *const *names, int n, const char *type,
                         const struct options *o)
{
    struct options local = *o;
    struct selector all;
    char err[SELECTOR_ERR_MAX];
    int status;

    local.sample_type = type;
    local.query = local.from = local.until = NULL;
    for (int i = 0; i < 2; i++)
        local.diff_query[i] = n == 2 ? file_query(names[i]) : NULL;
    selector_parse("", &all, err);
    status = run(p, &all, (char **)names, n, &local);
    selector_free(&all);
    free(local.diff_query[0]);
    free(local.diff_query[1]);
    return status;
}

/* "cpu/nanoseconds" of a type ID (its sample type and unit). */
static char *id_sample_type(const char *id)
{
    struct selector s;
    char err[SELECTOR_ERR_MAX], *type;

    if (selector_parse(id, &s, err) || !s.type)
        return xstrdup(id);
    type = xstrdup(s.type);
    selector_free(&s);
    return type;
}

/* Batch output from the server: SelectMergeProfile of each side (both of
 * --diff's at once), loaded, then the same tables as for files. */
static int run_server_batch(struct options *o, const struct selector *sel, const char *server)
{
    static const char *const diff_names[2] = { "base", "new" };
    const char *const *names = o->diff[0] ? diff_names : &server;
    int n = o->diff[0] ? 2 : 1, status = EXIT_INPUT, parsed = 0;
    struct selector side[2], t = { 0 };
    struct sbuf labels[2] = { { 0 }, { 0 } };
    struct pyro_ask ask[2];
    struct pyro_answer a[2] = { { 0 } };
    char *id[2] = { NULL, NULL }, err[2][PYRO_ERR_MAX], *type = NULL;
    int64_t start, end;
    struct profile p;

    profile_init(&p);
    server_range(sel, &start, &end);
    if (o->sample_type && selector_parse(o->sample_type, &t, err[0])) {
        text_say("-t %s: %s", o->sample_type, err[0]);
        return EXIT_USAGE;
    }
    for (; parsed < n; parsed++)
        if (n == 1)
            side[0] = *sel;
        else if (selector_parse(o->diff[parsed], &side[parsed], err[0])) {
            text_say("--diff: %s: %s", o->diff[parsed], err[0]);
            status = EXIT_USAGE;
            goto out;
        }
    for (int i = 0; i < n; i++) {
        if (!(id[i] = side_type_id(o, &side[i], &t, start, end, server)))
            goto out;
        selector_matchers_text(&side[i], &labels[i]);
        ask[i] = (struct pyro_ask){ .method = PYRO_SELECT_MERGE_PROFILE, .start_ms = start,
                                    .end_ms = end, .type_id = id[i], .selector = labels[i].s };
    }
    if (pyro_call_all(&o->conn, ask, n, a, err)) {
        text_say("%s: %s", server, *err[0] ? err[0] : err[1]);
        goto out;
    }
    type = id_sample_type(id[0]);
    if (!load_answers(&p, a, names, n, o, server))
        status = print_answers(&p, names, n, type, o);
out:
    for (int i = 0; i < n; i++) {
        if (n == 2 && i < parsed)
            selector_free(&side[i]);
        free(id[i]);
        sbuf_free(&labels[i]);
        pyro_answer_free(&a[i]);
    }
    selector_free(&t);
    free(type);
    profile_free(&p);
    return status;
}

/* --url: the explorer over the server, or batch output from it. */
static int run_server(struct options *o, const struct selector *sel, int nargs)
{
    char *server;
    int status;

    if (check_server(o, nargs))
        return EXIT_USAGE;
    server = pyro_conn_name(&o->conn);
    status = o->mode == MODE_UI ? run_server_ui(o, sel, server) : run_server_batch(o, sel, server);
    free(server);
    return status;
}

/* What Y's command line names the sources by: the paths, and the URLs
 * without their credentials. */
static void share_sources(char **paths, int n, const struct url_arg *ua)
{
    char **names = xcalloc((size_t)n + 1, sizeof *names);

    for (int i = 0; i < n; i++)
        names[i] = ua[i].fetch ? ua[i].clean : paths[i];
    share_set_sources(names, n);
    free(names);
}

int main(int argc, char **argv)
{
    struct options o;
    struct profile p;
    struct selector sel;
    int status, npaths;
    char **paths;
    struct url_arg *ua = NULL;

    setlocale(LC_ALL, "");
    parse_options(argc, argv, &o);
    srcfile_set_paths(o.source_path, o.trim_path);      /* the source view's (L) */
    if (filters.n && o.load.granularity == GRAN_FILES && o.mode != MODE_UI)
        /* a files frame holds no function: pprof matches the functions before it aggregates */
        text_say("note: at files granularity a filter matches file and mapping names only");
    if (o.live.every_ns && o.mode != MODE_UI)
        recorder_signals();
    npaths = argc - optind;
    if (check_base(&o, npaths)) {
        free(o.bases);
        return EXIT_USAGE;
    }
    if (o.diff[0] && o.mode == MODE_FOLDED) {
        fputs("ember: --diff goes with --top or the explorer, not --folded\n", stderr);
        return EXIT_USAGE;
    }
    if (parse_selection(&o, &sel)) {
        free(o.bases);
        return EXIT_USAGE;
    }
    if ((status = resolve_server(&o, argc - optind)) || o.url) {
        status = status ? EXIT_INPUT : run_server(&o, &sel, argc - optind);
        selector_free(&sel);
        free(o.diff_query[0]);
        free(o.diff_query[1]);
        free_server(&o);
        if (!status && (fflush(stdout) || ferror(stdout))) {
            fputs("ember: error writing output\n", stderr);
            status = EXIT_INPUT;
        }
        return status;
    }
    profile_init(&p);
    if (!(paths = diff_setup(&o, argv + optind, &npaths)) || need_source(&o, npaths) ||
        !(ua = url_args(paths, npaths, &o)) || check_live(&o, npaths))
        status = EXIT_USAGE;
    else if (check_record_dir(o.live.record_dir))
        status = EXIT_INPUT;
    else if (o.live.every_ns && o.mode != MODE_UI)
        status = run_recorder(ua, npaths, &o);
    else if (share_sources(paths, npaths, ua), load_all(&p, paths, npaths, ua, &o))
        status = EXIT_INPUT;
    else
        status = run(&p, &sel, paths, npaths, &o);
    selector_free(&sel);
    url_args_free(ua, npaths);
    free(o.live.urls);
    free(paths);
    free(o.diff_query[0]);
    free(o.diff_query[1]);
    if (!status && (fflush(stdout) || ferror(stdout))) {
        fputs("ember: error writing output\n", stderr);
        status = EXIT_INPUT;
    }
    profile_free(&p);
    free(o.bases);
    return status;
}
