/* The SVG export: a self-contained interactive flamegraph in the manner of
 * flamegraph.pl: a rect per frame in the terminal's colors (the diff: red
 * where the new side's share grew, green where it shrank), a <title> per
 * frame with its value and share, click to zoom, Reset Zoom, a search
 * (Ctrl-F or the Search button) that marks the matches and says their
 * share. The script is inline and asks no network. Root at the top, as
 * the explorer draws it. */
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "hash.h"
#include "units.h"
#include "xalloc.h"

enum { WIDTH = 1200, ROW = 16, TOP = 40, PAD = 10 };

struct svg {
    FILE *out;
    const struct export_sel *s;
    const int64_t *t[2];        /* t[1]: the diff's new side (laid out), t[0] its base */
    int diff;
    int64_t *x;                 /* per node: where it starts (set with its siblings) */
    uint32_t *laid;             /* per depth: the parent whose children have x */
    uint32_t depth_cap, max_depth;
    int64_t whole;              /* the laid out side's root total */
    const char *unit;
};

static uint32_t hash_rgb(const char *name, size_t len)
{
    uint32_t h = (uint32_t)hash_bytes(name, len < 1024 ? len : 1024);

    return (uint32_t)(205 + h % 50) << 16 | (uint32_t)(80 + (h >> 8) % 150) << 8 | 40;
}

/* Red for a larger share on the new side, green for a smaller, white-ish
 * for none, as strong as the change (4 points or more is full). */
static uint32_t diff_rgb(const struct svg *g, uint32_t node)
{
    double a = g->t[0][TRIE_ROOT] ? (double)g->t[0][node] / (double)g->t[0][TRIE_ROOT] : 0;
    double b = g->t[1][TRIE_ROOT] ? (double)g->t[1][node] / (double)g->t[1][TRIE_ROOT] : 0;
    double d = (b - a) * 25;
    int k = (int)(210 * (d > 1 ? 1 : d < -1 ? 1 : d < 0 ? -d : d));

    if (d > 0)
        return 255u << 16 | (uint32_t)(230 - k) << 8 | (uint32_t)(230 - k);
    return (uint32_t)(230 - k) << 16 | 255u << 8 | (uint32_t)(230 - k);
}

static void put_text(FILE *out, const char *s, size_t len)
{
    export_xml_text(out, s, len);
}

/* The frame's value and share, and for the diff the base's, in its title. */
static void put_title(struct svg *g, uint32_t node, const char *name, size_t len)
{
    char v[UNITS_BUF], pct[UNITS_BUF], va[UNITS_BUF], pa[UNITS_BUF];
    int side = g->diff ? 1 : 0;

    units_format(g->t[side][node], g->unit, v, sizeof v);
    units_percent(g->t[side][node], g->whole, pct, sizeof pct);
    fputs("<title>", g->out);
    put_text(g->out, name, len);
    if (g->diff) {
        units_format(g->t[0][node], g->unit, va, sizeof va);
        units_percent(g->t[0][node], g->t[0][TRIE_ROOT], pa, sizeof pa);
        fprintf(g->out, "\nB %s, %s; A %s, %s</title>", v, pct, va, pa);
    } else {
        fprintf(g->out, "\n%s, %s</title>", v, pct);
    }
}

/* Up to the characters that fit w pixels (about 7 a character), cut at a
 * character's start, ".." after a cut. */
static void put_label(FILE *out, const char *s, size_t len, double w)
{
    size_t fit = w < 21 ? 0 : (size_t)(w / 7), at = 0, chars = 0;

    while (at < len && chars < fit) {
        at++;
        while (at < len && ((unsigned char)s[at] & 0xc0) == 0x80)
            at++;
        chars++;
    }
    if (at < len && chars >= 2) {
        /* room for "..": back one character */
        do
            at--;
        while (at && ((unsigned char)s[at] & 0xc0) == 0x80);
        put_text(out, s, at);
        fputs("..", out);
    } else if (at >= len) {
        put_text(out, s, len);
    }
}

static void frame(struct svg *g, uint32_t node, uint32_t depth, int64_t x, const char *name,
                  size_t len, uint32_t rgb)
{
    int side = g->diff ? 1 : 0;
    double fx = g->whole ? (double)x / (double)g->whole : 0;
    double fw = g->whole ? (double)g->t[side][node] / (double)g->whole : 0;
    double px = PAD + fx * (WIDTH - 2 * PAD), pw = fw * (WIDTH - 2 * PAD);
    int y = TOP + (int)depth * ROW;

    fprintf(g->out, "<g class=\"f\" data-x=\"%.9f\" data-w=\"%.9f\" data-d=\"%u\">", fx, fw,
            depth);
    put_title(g, node, name, len);
    fprintf(g->out, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"#%06x\" "
            "rx=\"2\" ry=\"2\"/><text x=\"%.2f\" y=\"%d\">", px, y, pw, ROW - 1, rgb, px + 3,
            y + ROW - 4);
    put_label(g->out, name, len, pw);
    fputs("</text></g>\n", g->out);
}

static const struct profile *sort_profile;

/* Siblings by name, then node (as export_walk visits them). */
static int by_name(const void *a, const void *b)
{
    const struct profile *p = sort_profile;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    int c = query_name_cmp(p, p->frames[p->trie.node[x].frame].name,
                           p->frames[p->trie.node[y].frame].name);

    return c ? c : (x > y) - (x < y);
}

/* The x of every child of parent: its own x plus the totals of the
 * siblings before it, those the walk leaves out (too narrow) included, so
 * that a frame sits above its own stacks whatever was left out. */
static void lay_out(struct svg *g, uint32_t parent)
{
    const struct profile *p = g->s->p;
    const uint32_t *kids;
    uint32_t n = trie_children(&p->trie, parent, &kids);
    uint32_t *order = xmalloc(((size_t)n + 1) * sizeof *order);
    const int64_t *t = g->t[g->diff ? 1 : 0];
    int64_t x = g->x[parent];

    memcpy(order, kids, (size_t)n * sizeof *order);
    sort_profile = p;
    qsort(order, n, sizeof *order, by_name);
    for (uint32_t i = 0; i < n; i++) {
        g->x[order[i]] = x;
        x += t[order[i]];
    }
    free(order);
}

static void visit(void *ctx, uint32_t node, uint32_t depth, const uint32_t *path)
{
    struct svg *g = ctx;
    const struct profile *p = g->s->p;
    uint32_t name = p->frames[path[depth - 1]].name;
    const char *s = profile_str(p, name);
    size_t len = strtab_len(&p->strings, name);
    int side = g->diff ? 1 : 0;
    int64_t x;

    if (depth > g->depth_cap)   /* below the deepest frame drawn: all narrower */
        return;
    uint32_t parent = p->trie.node[node].parent;

    if (g->laid[depth] != parent) {
        lay_out(g, parent);
        g->laid[depth] = parent;
    }
    x = g->x[node];
    /* narrower than a tenth of a pixel: left out, with what is below it */
    if (!g->whole || (double)g->t[side][node] * (WIDTH - 2 * PAD) * 10 < (double)g->whole)
        return;
    g->max_depth = depth > g->max_depth ? depth : g->max_depth;
    frame(g, node, depth, x, s, len, g->diff ? diff_rgb(g, node) :
                                     g->s->rgb ? g->s->rgb(s, len) : hash_rgb(s, len));
}

/* Zoom, Reset Zoom and search over the frames' data-x/-w/-d (fractions of
 * the whole, depth): inline, no network. */
static const char script[] =
    "<script type=\"text/ecmascript\"><![CDATA[\n"
    "var W=" "1200" ",P=10,fr=[],det,matched;\n"
    "function init(){fr=[].slice.call(document.querySelectorAll('g.f'));det=document.getElementById('details');\n"
    " matched=document.getElementById('matched');fr.forEach(function(g){\n"
    "  g.onclick=function(){zoom(g)};g.onmouseover=function(){det.textContent=g.firstChild.textContent.replace('\\n',': ')};\n"
    "  g.onmouseout=function(){det.textContent=' '}});\n"
    " window.addEventListener('keydown',function(e){if((e.ctrlKey||e.metaKey)&&e.keyCode==70){e.preventDefault();search()}});}\n"
    "function nm(g){return g.firstChild.textContent.split('\\n')[0]}\n"
    "function place(g,x,w){var r=g.querySelector('rect'),t=g.querySelector('text');\n"
    " var px=P+x*(W-2*P),pw=w*(W-2*P);r.setAttribute('x',px);r.setAttribute('width',pw);t.setAttribute('x',px+3);\n"
    " var n=nm(g),k=Math.floor(pw/7);t.textContent=pw<21?'':n.length<=k?n:n.substring(0,Math.max(0,k-2))+'..'}\n"
    "function zoom(z){var zx=+z.dataset.x,zw=+z.dataset.w,zd=+z.dataset.d;\n"
    " fr.forEach(function(g){var x=+g.dataset.x,w=+g.dataset.w,d=+g.dataset.d;\n"
    "  var inside=d>=zd&&x>=zx-1e-12&&x+w<=zx+zw+1e-9,above=d<zd&&x<=zx+1e-12&&x+w>=zx+zw-1e-9;\n"
    "  g.style.display=inside||above?'':'none';g.style.opacity=above?'0.5':'';\n"
    "  if(inside)place(g,(x-zx)/zw,w/zw);else if(above)place(g,0,1)});\n"
    " document.getElementById('unzoom').style.display=''}\n"
    "function unzoom(){fr.forEach(function(g){g.style.display='';g.style.opacity='';place(g,+g.dataset.x,+g.dataset.w)});\n"
    " document.getElementById('unzoom').style.display='none'}\n"
    "function search(){var s=prompt('Search for (a regular expression)','');if(s===null)return;\n"
    " var re;try{re=new RegExp(s)}catch(e){alert(e);return}var sum=0,seen=[];\n"
    " fr.forEach(function(g){var r=g.querySelector('rect');if(!r.dataset.fill)r.dataset.fill=r.getAttribute('fill');\n"
    "  var m=s!==''&&re.test(nm(g));r.setAttribute('fill',m?'#e040e0':r.dataset.fill);\n"
    "  if(m){var x=+g.dataset.x,w=+g.dataset.w;if(!seen.some(function(o){return x>=o[0]&&x+w<=o[0]+o[1]+1e-9})){seen.push([x,w]);sum+=w}}});\n"
    " matched.textContent=s===''?' ':'Matched: '+(100*sum).toFixed(2)+'%'}\n"
    "]]></script>\n";

static void header(struct svg *g, int height)
{
    const char *title = g->s->title && *g->s->title ? g->s->title : "ember";
    const struct profile *p = g->s->p;
    uint32_t type = p->types[g->s->type].type;

    fprintf(g->out, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
            "<svg version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            "onload=\"init()\" xmlns=\"http://www.w3.org/2000/svg\">\n"
            "<style>text{font-family:Verdana,sans-serif;font-size:12px;fill:#000}"
            "g.f{cursor:pointer}#title{font-size:17px;text-anchor:middle}"
            ".btn{cursor:pointer}</style>\n%s"
            "<rect x=\"0\" y=\"0\" width=\"100%%\" height=\"100%%\" fill=\"#f8f8f8\"/>\n"
            "<text id=\"title\" x=\"%d\" y=\"22\">", WIDTH, height, WIDTH, height, script,
            WIDTH / 2);
    put_text(g->out, title, strlen(title));
    fputs(" (", g->out);
    put_text(g->out, profile_str(p, type), strtab_len(&p->strings, type));
    fprintf(g->out, "%s)</text>\n"
            "<text id=\"unzoom\" class=\"btn\" x=\"%d\" y=\"22\" onclick=\"unzoom()\" "
            "style=\"display:none\">Reset Zoom</text>\n"
            "<text id=\"search\" class=\"btn\" x=\"%d\" y=\"22\" onclick=\"search()\">"
            "Search</text>\n"
            "<text id=\"matched\" x=\"%d\" y=\"%d\"> </text>\n"
            "<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n",
            g->diff ? ", B against A: red grew, green shrank" : "", PAD, WIDTH - 60,
            WIDTH - 160, height - 8, PAD, height - 8);
}

/* The tree's depth within the width's threshold, for the height. */
struct deep {
    const int64_t *t;
    int64_t whole;
    uint32_t max;
};

static void deepest(void *ctx, uint32_t node, uint32_t depth, const uint32_t *path)
{
    struct deep *d = ctx;

    (void)path;
    if ((double)d->t[node] * (WIDTH - 2 * PAD) * 10 >= (double)d->whole && depth > d->max)
        d->max = depth;
}

int export_svg(FILE *out, const struct export_sel *s, char *err, size_t nerr)
{
    struct svg g = { .out = out, .s = s, .diff = s->total[1] != NULL };
    int own[2] = { 0, 0 }, side = g.diff ? 1 : 0;
    const struct profile *p = s->p;
    struct deep d = { 0 };

    (void)err;
    (void)nerr;
    g.t[0] = export_totals(s, 0, &own[0]);
    if (g.diff)
        g.t[1] = export_totals(s, 1, &own[1]);
    g.whole = g.t[side][TRIE_ROOT];
    g.unit = profile_str(p, p->types[s->type].unit);
    d.t = g.t[side];
    d.whole = g.whole;
    /* a tenth of a pixel: what is narrower is left out with its subtree */
    int64_t min = g.whole / ((WIDTH - 2 * PAD) * 10) + 1;

    if (g.whole)
        export_walk(p, g.t[side], NULL, min, deepest, &d);
    g.depth_cap = d.max + 1;
    g.x = xcalloc(p->trie.count ? p->trie.count : 1, sizeof *g.x);
    g.laid = xmalloc(((size_t)d.max + 3) * sizeof *g.laid);
    memset(g.laid, 0xff, ((size_t)d.max + 3) * sizeof *g.laid);
    header(&g, TOP + (int)(d.max + 1) * ROW + 30);
    fputs("<g id=\"frames\">\n", out);
    frame(&g, TRIE_ROOT, 0, 0, "all", 3, 0xd0d0d0);
    if (g.whole)
        export_walk(p, g.t[side], NULL, min, visit, &g);
    fputs("</g>\n</svg>\n", out);
    free(g.x);
    free(g.laid);
    for (int i = 0; i < 1 + g.diff; i++)
        export_totals_free(s, g.t[i], own[i]);
    return 0;
}
