/* Scenario files: YAML (libyaml's document API) -> struct scenario.
 * Every error names the file, the line and column of the node at fault,
 * what was found and what was expected. */
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "../../boards/board.h"
#include "../../periph/periph.h"

struct pctx {
    const char *path;
    yaml_document_t doc;
    struct sim_error *err;
    struct scenario *s;
};

static int perr(struct pctx *p, const yaml_node_t *n, const char *fmt, ...) SIM_PRINTF(3, 4);

static int perr(struct pctx *p, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n)
        return sim_errorf(p->err, "%s:%zu:%zu: %s", p->path, n->start_mark.line + 1,
                          n->start_mark.column + 1, msg);
    return sim_errorf(p->err, "%s: %s", p->path, msg);
}

static int line_of(const yaml_node_t *n) { return (int)n->start_mark.line + 1; }

static yaml_node_t *node(struct pctx *p, int id) { return yaml_document_get_node(&p->doc, id); }

static const char *kind_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

static char *xstrdup(const char *s)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d) {
        fputs("tocksim: out of memory\n", stderr);
        abort();
    }
    return d;
}

static void *xcalloc(size_t n, size_t size)
{
    void *v = calloc(n ? n : 1, size);
    if (!v) {
        fputs("tocksim: out of memory\n", stderr);
        abort();
    }
    return v;
}

static int want_scalar(struct pctx *p, const yaml_node_t *n, const char *what, const char **out)
{
    *out = "";
    if (n->type != YAML_SCALAR_NODE)
        return perr(p, n, "%s: found %s, expected %s", what, kind_name(n), "a single value");
    *out = (const char *)n->data.scalar.value;
    return 0;
}

static int want_string(struct pctx *p, const yaml_node_t *n, const char *what, char **out)
{
    const char *v;
    if (want_scalar(p, n, what, &v))
        return -1;
    *out = xstrdup(v);
    return 0;
}

static int want_u64(struct pctx *p, const yaml_node_t *n, const char *what, uint64_t *out)
{
    const char *v;
    if (want_scalar(p, n, what, &v))
        return -1;
    if (sim_parse_u64(v, out))
        return perr(p, n, "%s: found '%s', expected a number (decimal, 0x.. or 0b..)", what, v);
    return 0;
}

static int want_i64(struct pctx *p, const yaml_node_t *n, const char *what, int64_t *out)
{
    const char *v;
    uint64_t u;
    if (want_scalar(p, n, what, &v))
        return -1;
    bool neg = v[0] == '-';
    if (sim_parse_u64(v + neg, &u) || u > (uint64_t)INT64_MAX)
        return perr(p, n, "%s: found '%s', expected an integer", what, v);
    *out = neg ? -(int64_t)u : (int64_t)u;
    return 0;
}

static int want_bool(struct pctx *p, const yaml_node_t *n, const char *what, bool *out)
{
    const char *v;
    if (want_scalar(p, n, what, &v))
        return -1;
    if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on")) {
        *out = true;
        return 0;
    }
    if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off")) {
        *out = false;
        return 0;
    }
    return perr(p, n, "%s: found '%s', expected true or false", what, v);
}

/* A level: high/low, 1/0, on/off (LEDs), pressed/released. */
static int want_level(struct pctx *p, const yaml_node_t *n, const char *what, const char *yes,
                      const char *no, bool *out)
{
    const char *v;
    if (want_scalar(p, n, what, &v))
        return -1;
    if (!strcmp(v, yes) || !strcmp(v, "1") || !strcmp(v, "true")) {
        *out = true;
        return 0;
    }
    if (!strcmp(v, no) || !strcmp(v, "0") || !strcmp(v, "false")) {
        *out = false;
        return 0;
    }
    return perr(p, n, "%s: found '%s', expected %s or %s", what, v, yes, no);
}

/* Times carry a unit: 10s, 250ms, 3us, 1500ns, 2.5s, 1min; "0" alone is 0. */
static int want_time(struct pctx *p, const yaml_node_t *n, const char *what, uint64_t *ns)
{
    const char *v;
    if (want_scalar(p, n, what, &v))
        return -1;
    if (!strcmp(v, "0")) {
        *ns = 0;
        return 0;
    }
    if (sim_parse_time_ns(v, ns)) {
        const char *u = v;
        while (*u && (isdigit((unsigned char)*u) || *u == '.'))
            u++;
        if (u != v && *u)
            return perr(p, n, "%s: '%s': unknown time unit '%s' (expected ns, us, ms, s or min)",
                        what, v, u);
        return perr(p, n, "%s: found '%s', expected a time with a unit (10s, 250ms, 3us, 1500ns)",
                    what, v);
    }
    return 0;
}

/* A [t1, t2] window. */
static int want_window(struct pctx *p, const yaml_node_t *n, const char *what, uint64_t *t1,
                       uint64_t *t2)
{
    if (n->type != YAML_SEQUENCE_NODE || n->data.sequence.items.top - n->data.sequence.items.start != 2)
        return perr(p, n, "%s: found %s, expected a window [t1, t2]", what, kind_name(n));
    if (want_time(p, node(p, n->data.sequence.items.start[0]), what, t1) ||
        want_time(p, node(p, n->data.sequence.items.start[1]), what, t2))
        return -1;
    if (*t2 < *t1)
        return perr(p, n, "%s: the window ends before it starts", what);
    return 0;
}

/* Mapping iteration with key checking: calls fn for each known key. */
typedef int (*key_fn)(struct pctx *p, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx);

static int each_key(struct pctx *p, yaml_node_t *map, const char *what, const char *const *keys,
                    key_fn fn, void *ctx)
{
    if (map->type != YAML_MAPPING_NODE)
        return perr(p, map, "%s: found %s, expected a mapping (key: value)", what, kind_name(map));
    for (yaml_node_pair_t *a = map->data.mapping.pairs.start; a < map->data.mapping.pairs.top; a++) {
        yaml_node_t *k = node(p, a->key), *v = node(p, a->value);
        const char *key;
        bool known = false;
        if (k->type != YAML_SCALAR_NODE)
            return perr(p, k, "%s: found %s as a key, expected a name", what, kind_name(k));
        key = (const char *)k->data.scalar.value;
        for (yaml_node_pair_t *b = map->data.mapping.pairs.start; b < a; b++) {
            yaml_node_t *kb = node(p, b->key);
            if (kb->type == YAML_SCALAR_NODE && !strcmp((const char *)kb->data.scalar.value, key))
                return perr(p, k, "%s: key '%s' appears twice (first on line %d)", what, key,
                            line_of(kb));
        }
        for (unsigned i = 0; keys[i] && !known; i++)
            known = !strcmp(keys[i], key);
        if (!known) {
            char list[400] = "";
            for (unsigned i = 0; keys[i]; i++) {
                strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
                strncat(list, keys[i], sizeof list - strlen(list) - 1);
            }
            return perr(p, k, "unknown key '%s' in %s (expected one of: %s)", key, what, list);
        }
        if (fn(p, key, k, v, ctx))
            return -1;
    }
    return 0;
}

static yaml_node_t *map_get(struct pctx *p, yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *a = map->data.mapping.pairs.start; a < map->data.mapping.pairs.top; a++) {
        yaml_node_t *k = node(p, a->key);
        if (k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key))
            return node(p, a->value);
    }
    return NULL;
}

/* A scalar or a list of scalars. */
static int want_list(struct pctx *p, yaml_node_t *n, const char *what, char ***out, unsigned *count,
                     int **lines)
{
    unsigned cnt;
    if (n->type == YAML_SCALAR_NODE) {
        *out = xcalloc(1, sizeof **out);
        (*out)[0] = xstrdup((const char *)n->data.scalar.value);
        if (lines) {
            *lines = xcalloc(1, sizeof **lines);
            (*lines)[0] = line_of(n);
        }
        *count = 1;
        return 0;
    }
    if (n->type != YAML_SEQUENCE_NODE)
        return perr(p, n, "%s: found %s, expected a name or a list of names", what, kind_name(n));
    cnt = (unsigned)(n->data.sequence.items.top - n->data.sequence.items.start);
    *out = xcalloc(cnt, sizeof **out);
    if (lines)
        *lines = xcalloc(cnt, sizeof **lines);
    *count = 0;
    for (unsigned i = 0; i < cnt; i++) {
        yaml_node_t *it = node(p, n->data.sequence.items.start[i]);
        if (want_string(p, it, what, &(*out)[i]))
            return -1;
        if (lines)
            (*lines)[i] = line_of(it);
        (*count)++;
    }
    return 0;
}

/* ------------------------------------------------------------ boards -- */

const char *scn_alarm_timer(const char *board)
{
    if (!strcmp(board, "nrf52840dk"))
        return "rtc1";
    if (!strcmp(board, "mps2-an386"))
        return "dualtimer";
    if (!strcmp(board, "qemu-rv32-virt"))
        return "clint";
    return NULL;
}

static const struct board_io *find_io(const struct board_io *io, unsigned n, const char *name)
{
    for (unsigned i = 0; i < n; i++)
        if (!strcmp(io[i].name, name))
            return &io[i];
    return NULL;
}

static const struct periph_inst *find_inst(const struct board_desc *b, const char *name)
{
    for (unsigned i = 0; i < b->nperiphs; i++)
        if (!strcmp(b->periphs[i].name, name))
            return &b->periphs[i];
    return NULL;
}

static void io_names(const struct board_io *io, unsigned n, char *buf, size_t len)
{
    buf[0] = 0;
    for (unsigned i = 0; i < n; i++) {
        strncat(buf, i ? ", " : "", len - strlen(buf) - 1);
        strncat(buf, io[i].name, len - strlen(buf) - 1);
    }
    if (!n)
        snprintf(buf, len, "none");
}

static int check_io(struct pctx *p, yaml_node_t *n, const char *what, const char *name, bool led)
{
    for (unsigned i = 0; i < p->s->nboards; i++) {
        const struct board_desc *b = board_find(p->s->boards[i]);
        const struct board_io *io = led ? b->leds : b->buttons;
        unsigned cnt = led ? b->nleds : b->nbuttons;
        if (!find_io(io, cnt, name)) {
            char names[200];
            io_names(io, cnt, names, sizeof names);
            return perr(p, n, "%s: board %s has no %s '%s' (it has: %s)", what, b->name,
                        led ? "LED" : "button", name, names);
        }
    }
    return 0;
}

/* "gpio1.3": a GPIO model's pin; input pins need the model's pin_in. */
static int parse_pin(struct pctx *p, yaml_node_t *n, const char *what, bool input, char **periph,
                     unsigned *pin)
{
    const char *v, *dot;
    uint64_t num;
    char name[64];
    if (want_scalar(p, n, what, &v))
        return -1;
    dot = strrchr(v, '.');
    if (!dot || dot == v || (size_t)(dot - v) >= sizeof name || sim_parse_u64(dot + 1, &num))
        return perr(p, n, "%s: found '%s', expected PERIPH.PIN (e.g. gpio1.3)", what, v);
    memcpy(name, v, (size_t)(dot - v));
    name[dot - v] = 0;
    if (num >= PERIPH_MAX_PINS)
        return perr(p, n, "%s: pin %llu of '%s' is out of range (expected 0..%u)", what,
                    (unsigned long long)num, name, PERIPH_MAX_PINS - 1);
    for (unsigned i = 0; i < p->s->nboards; i++) {
        const struct board_desc *b = board_find(p->s->boards[i]);
        const struct periph_inst *pi = find_inst(b, name);
        if (!pi)
            return perr(p, n, "%s: board %s has no peripheral '%s'", what, b->name, name);
        if (input && !pi->model->ops->pin_in)
            return perr(p, n, "%s: %s on board %s (%s) has no input pins", what, name, b->name,
                        pi->model->kind);
    }
    *periph = xstrdup(name);
    *pin = (unsigned)num;
    return 0;
}

/* ----------------------------------------------------------- stimuli -- */

static const char *const stim_keys[] = { "at", "on", "press", "release", "gpio", "level", "uart",
                                          NULL };

struct stim_ctx {
    struct scn_stim *st;
    int actions;
    yaml_node_t *level;
    yaml_node_t *action_node;
    bool has_at;
};

static int stim_key(struct pctx *p, const char *key, yaml_node_t *k, yaml_node_t *v, void *vctx)
{
    struct stim_ctx *c = vctx;
    struct scn_stim *st = c->st;
    (void)k;
    if (!strcmp(key, "at")) {
        c->has_at = true;
        return want_time(p, v, "stimulus 'at'", &st->at_ns);
    }
    if (!strcmp(key, "level")) {
        c->level = v;
        return 0;
    }
    if (!strcmp(key, "on")) {
        if (want_string(p, v, "on", &st->on))
            return -1;
        if (!st->on[0])
            return perr(p, v, "on: found an empty text, expected console text to wait for");
        return 0;
    }
    c->actions++;
    c->action_node = v;
    if (!strcmp(key, "press") || !strcmp(key, "release")) {
        st->kind = SCN_STIM_BUTTON;
        st->level = key[0] == 'p';
        if (want_string(p, v, key, &st->name))
            return -1;
        return check_io(p, v, key, st->name, false);
    }
    if (!strcmp(key, "gpio")) {
        st->kind = SCN_STIM_GPIO;
        return parse_pin(p, v, "gpio", true, &st->name, &st->pin);
    }
    /* uart */
    st->kind = SCN_STIM_UART;
    if (v->type != YAML_SCALAR_NODE)
        return perr(p, v, "uart: found %s, expected the bytes as a string", kind_name(v));
    st->len = v->data.scalar.length;
    st->data = xcalloc(st->len + 1, 1);
    memcpy(st->data, v->data.scalar.value, st->len);
    for (unsigned i = 0; i < p->s->nboards; i++)
        if (!board_find(p->s->boards[i])->console)
            return perr(p, v, "uart: board %s has no console UART", p->s->boards[i]);
    return 0;
}

static int parse_stimuli(struct pctx *p, yaml_node_t *n)
{
    struct scenario *s = p->s;
    unsigned cnt;
    if (n->type != YAML_SEQUENCE_NODE)
        return perr(p, n, "stimuli: found %s, expected a list of {at: TIME, <action>}",
                    kind_name(n));
    cnt = (unsigned)(n->data.sequence.items.top - n->data.sequence.items.start);
    s->stims = xcalloc(cnt, sizeof *s->stims);
    for (unsigned i = 0; i < cnt; i++) {
        yaml_node_t *it = node(p, n->data.sequence.items.start[i]);
        struct scn_stim *st = &s->stims[s->nstims++];
        struct stim_ctx c = { st, 0, NULL, NULL, false };
        st->line = line_of(it);
        if (each_key(p, it, "a stimulus", stim_keys, stim_key, &c))
            return -1;
        if (!c.has_at && !st->on)
            return perr(p, it, "stimulus: no 'at' (expected at: TIME, or on: TEXT)");
        if (c.actions != 1)
            return perr(p, it, "stimulus: found %d actions, expected exactly one of press, "
                        "release, gpio, uart", c.actions);
        if (st->kind == SCN_STIM_GPIO) {
            if (!c.level)
                return perr(p, it, "stimulus gpio: no 'level' (expected level: high or low)");
            if (want_level(p, c.level, "level", "high", "low", &st->level))
                return -1;
        } else if (c.level) {
            return perr(p, c.level, "level: only a gpio stimulus takes a level");
        }
    }
    /* stable sort by time: insertion sort (lists are short) */
    for (unsigned i = 1; i < s->nstims; i++) {
        struct scn_stim t = s->stims[i];
        unsigned j = i;
        while (j > 0 && s->stims[j - 1].at_ns > t.at_ns) {
            s->stims[j] = s->stims[j - 1];
            j--;
        }
        s->stims[j] = t;
    }
    return 0;
}

/* ------------------------------------------------------ expectations -- */

static int compile_re(struct pctx *p, yaml_node_t *n, struct scn_expect *e)
{
    int rc = regcomp(&e->re, e->text, REG_EXTENDED | REG_NOSUB);
    if (rc) {
        char buf[160];
        regerror(rc, &e->re, buf, sizeof buf);
        return perr(p, n, "bad regular expression '%s': %s (expected a POSIX extended regex)",
                    e->text, buf);
    }
    e->is_re = true;
    e->re_ok = true;
    return 0;
}

struct exp_ctx {
    struct scn_expect *e;
    bool has_at, has_state, has_name, has_re, has_cat, has_count;
};

static const char *const trace_keys[] = { "cat", "re", "count", "min", "max", "within", NULL };
static const char *const led_keys[] = { "name", "at", "state", NULL };
static const char *const gpio_keys[] = { "pin", "at", "level", NULL };
static const char *const upcall_keys[] = { "app", "within", "id", "count", "min", "max", NULL };
static const char *const exit_keys[] = { "app", "code", NULL };

static int count_key(struct pctx *p, const char *key, yaml_node_t *v, struct exp_ctx *c)
{
    uint64_t n;
    if (want_u64(p, v, key, &n))
        return -1;
    if (!strcmp(key, "count")) {
        c->e->count_min = c->e->count_max = n;
    } else if (!strcmp(key, "min")) {
        c->e->count_min = n;
    } else {
        c->e->count_max = n;
    }
    return 0;
}

static int sub_key(struct pctx *p, const char *key, yaml_node_t *k, yaml_node_t *v, void *vctx)
{
    struct exp_ctx *c = vctx;
    struct scn_expect *e = c->e;
    (void)k;
    if (!strcmp(key, "count") || !strcmp(key, "min") || !strcmp(key, "max"))
        return count_key(p, key, v, c);
    if (!strcmp(key, "within"))
        return want_window(p, v, "within", &e->t1_ns, &e->t2_ns);
    if (!strcmp(key, "at")) {
        c->has_at = true;
        return want_time(p, v, "at", &e->at_ns);
    }
    if (!strcmp(key, "re")) {
        c->has_re = true;
        if (want_string(p, v, "re", &e->text))
            return -1;
        return compile_re(p, v, e);
    }
    if (!strcmp(key, "cat")) {
        const char *name = "";
        c->has_cat = true;
        if (want_scalar(p, v, "cat", &name))
            return -1;
        for (unsigned i = 0; i < TR_NCATS; i++)
            if (!strcmp(trace_cat_name((enum trace_cat)i), name)) {
                e->cat = (enum trace_cat)i;
                return 0;
            }
        {
            char list[200] = "";
            for (unsigned i = 0; i < TR_NCATS; i++) {
                strcat(list, i ? ", " : "");
                strcat(list, trace_cat_name((enum trace_cat)i));
            }
            return perr(p, v, "cat: unknown trace category '%s' (expected one of: %s)", name,
                        list);
        }
    }
    if (!strcmp(key, "name")) {
        c->has_name = true;
        if (want_string(p, v, "name", &e->name))
            return -1;
        return check_io(p, v, "led", e->name, true);
    }
    if (!strcmp(key, "state")) {
        c->has_state = true;
        return want_level(p, v, "state", "on", "off", &e->level);
    }
    if (!strcmp(key, "level")) {
        c->has_state = true;
        return want_level(p, v, "level", "high", "low", &e->level);
    }
    if (!strcmp(key, "pin")) {
        c->has_name = true;
        return parse_pin(p, v, "pin", false, &e->name, &e->pin);
    }
    if (!strcmp(key, "app")) {
        c->has_name = true;
        return want_string(p, v, "app", &e->name);
    }
    if (!strcmp(key, "id"))
        return want_i64(p, v, "id", &e->id);
    if (!strcmp(key, "code")) {
        e->has_code = true;
        return want_i64(p, v, "code", &e->code);
    }
    return perr(p, k, "internal: unhandled key %s", key);
}

static const char *const expect_kinds[] = {
    "console", "console_re", "never", "trace", "led", "gpio", "no_fault", "fault", "panic",
    "alarm_upcall", "exit", NULL,
};

static int parse_expect_item(struct pctx *p, yaml_node_t *it, struct scn_expect *e)
{
    yaml_node_t *k, *v;
    const char *kind;
    struct exp_ctx c = { e, false, false, false, false, false, false };

    e->line = line_of(it);
    e->count_min = 1;
    e->count_max = UINT64_MAX;
    e->t2_ns = UINT64_MAX;
    e->id = -1;
    /* a bare name: `- no_fault` */
    if (it->type == YAML_SCALAR_NODE) {
        kind = (const char *)it->data.scalar.value;
        if (!strcmp(kind, "no_fault")) {
            e->kind = SCN_EXP_NO_FAULT;
            return 0;
        }
        if (!strcmp(kind, "panic")) {
            e->kind = SCN_EXP_PANIC;
            return 0;
        }
        return perr(p, it, "expectation: found '%s', expected a mapping such as "
                    "{console: TEXT} or one of no_fault, panic", kind);
    }
    if (it->type != YAML_MAPPING_NODE ||
        it->data.mapping.pairs.top - it->data.mapping.pairs.start != 1)
        return perr(p, it, "expectation: found %s, expected one key (console, console_re, never, "
                    "trace, led, gpio, no_fault, fault, panic, alarm_upcall, exit)",
                    it->type == YAML_MAPPING_NODE ? "several keys" : kind_name(it));
    k = node(p, it->data.mapping.pairs.start[0].key);
    v = node(p, it->data.mapping.pairs.start[0].value);
    if (k->type != YAML_SCALAR_NODE)
        return perr(p, k, "expectation: found %s as a key, expected a name", kind_name(k));
    kind = (const char *)k->data.scalar.value;
    {
        bool known = false;
        for (unsigned i = 0; expect_kinds[i] && !known; i++)
            known = !strcmp(expect_kinds[i], kind);
        if (!known)
            return perr(p, k, "unknown key '%s' in an expectation (expected one of: console, "
                        "console_re, never, trace, led, gpio, no_fault, fault, panic, "
                        "alarm_upcall, exit)", kind);
    }
    if (!strcmp(kind, "console")) {
        e->kind = SCN_EXP_CONSOLE;
        return want_string(p, v, "console", &e->text);
    }
    if (!strcmp(kind, "console_re") || !strcmp(kind, "never")) {
        e->kind = kind[0] == 'c' ? SCN_EXP_CONSOLE : SCN_EXP_CONSOLE_NEVER;
        if (want_string(p, v, kind, &e->text))
            return -1;
        return compile_re(p, v, e);
    }
    if (!strcmp(kind, "no_fault") || !strcmp(kind, "panic")) {
        bool b;
        e->kind = kind[0] == 'n' ? SCN_EXP_NO_FAULT : SCN_EXP_PANIC;
        if (want_bool(p, v, kind, &b))
            return -1;
        if (!b)
            return perr(p, v, "%s: false is not an expectation (drop the line, or use "
                        "allow_fault: true)", kind);
        return 0;
    }
    if (!strcmp(kind, "fault")) {
        e->kind = SCN_EXP_FAULT;
        return want_string(p, v, "fault", &e->name);
    }
    if (!strcmp(kind, "trace")) {
        e->kind = SCN_EXP_TRACE;
        if (each_key(p, v, "a trace expectation", trace_keys, sub_key, &c))
            return -1;
        if (!c.has_cat || !c.has_re)
            return perr(p, v, "trace: expected both cat: CATEGORY and re: REGEX");
        return 0;
    }
    if (!strcmp(kind, "led") || !strcmp(kind, "gpio")) {
        bool led = kind[0] == 'l';
        e->kind = led ? SCN_EXP_LED : SCN_EXP_GPIO;
        if (each_key(p, v, led ? "an led expectation" : "a gpio expectation",
                     led ? led_keys : gpio_keys, sub_key, &c))
            return -1;
        if (!c.has_name || !c.has_at || !c.has_state)
            return perr(p, v, led ? "led: expected name: LED, at: TIME and state: on|off"
                                  : "gpio: expected pin: PERIPH.PIN, at: TIME and level: high|low");
        return 0;
    }
    if (!strcmp(kind, "alarm_upcall")) {
        e->kind = SCN_EXP_ALARM_UPCALL;
        if (each_key(p, v, "an alarm_upcall expectation", upcall_keys, sub_key, &c))
            return -1;
        return 0;
    }
    /* exit: APP or {app, code} */
    e->kind = SCN_EXP_EXIT;
    if (v->type == YAML_SCALAR_NODE)
        return want_string(p, v, "exit", &e->name);
    if (each_key(p, v, "an exit expectation", exit_keys, sub_key, &c))
        return -1;
    if (!c.has_name)
        return perr(p, v, "exit: expected app: NAME");
    return 0;
}

static int parse_expect(struct pctx *p, yaml_node_t *n)
{
    struct scenario *s = p->s;
    unsigned cnt;
    if (n->type != YAML_SEQUENCE_NODE)
        return perr(p, n, "expect: found %s, expected a list of expectations", kind_name(n));
    cnt = (unsigned)(n->data.sequence.items.top - n->data.sequence.items.start);
    s->expects = xcalloc(cnt, sizeof *s->expects);
    for (unsigned i = 0; i < cnt; i++) {
        if (parse_expect_item(p, node(p, n->data.sequence.items.start[i]), &s->expects[i])) {
            s->nexpects = i + 1;
            return -1;
        }
        s->nexpects = i + 1;
    }
    return 0;
}

/* ------------------------------------------------------------- other -- */

static const char *const jitter_keys[] = { "irq", "min", "max", NULL };

struct jit_ctx {
    struct scn_jitter *j;
    bool has_irq, has_max;
};

static int jitter_key(struct pctx *p, const char *key, yaml_node_t *k, yaml_node_t *v, void *vctx)
{
    struct jit_ctx *c = vctx;
    (void)k;
    if (!strcmp(key, "min"))
        return want_time(p, v, "jitter min", &c->j->min_ns);
    if (!strcmp(key, "max")) {
        c->has_max = true;
        return want_time(p, v, "jitter max", &c->j->max_ns);
    }
    /* irq: PERIPH or PERIPH.N ("alarm" = the board's alarm timer) */
    {
        const char *val, *dot;
        char name[64];
        uint64_t idx = 0;
        c->has_irq = true;
        if (want_scalar(p, v, "irq", &val))
            return -1;
        dot = strchr(val, '.');
        if (strlen(val) >= sizeof name)
            return perr(p, v, "irq: name too long");
        snprintf(name, sizeof name, "%.*s", dot ? (int)(dot - val) : (int)strlen(val), val);
        if (dot && (sim_parse_u64(dot + 1, &idx) || idx >= PERIPH_MAX_IRQ))
            return perr(p, v, "irq: found '%s', expected PERIPH or PERIPH.N with N < %u", val,
                        PERIPH_MAX_IRQ);
        for (unsigned i = 0; i < p->s->nboards; i++) {
            const struct board_desc *b = board_find(p->s->boards[i]);
            const char *pn = !strcmp(name, "alarm") ? scn_alarm_timer(b->name) : name;
            const struct periph_inst *pi = pn ? find_inst(b, pn) : NULL;
            if (!pi)
                return perr(p, v, "irq: board %s has no peripheral '%s'", b->name, name);
        }
        c->j->periph = xstrdup(name);
        c->j->irq = (unsigned)idx;
        return 0;
    }
}

static int parse_jitter(struct pctx *p, yaml_node_t *n)
{
    struct scenario *s = p->s;
    unsigned cnt;
    if (n->type == YAML_MAPPING_NODE) {
        cnt = 1;
    } else if (n->type == YAML_SEQUENCE_NODE) {
        cnt = (unsigned)(n->data.sequence.items.top - n->data.sequence.items.start);
    } else {
        return perr(p, n, "jitter: found %s, expected {irq: PERIPH, max: TIME} or a list of them",
                    kind_name(n));
    }
    s->jitter = xcalloc(cnt, sizeof *s->jitter);
    for (unsigned i = 0; i < cnt; i++) {
        yaml_node_t *it = n->type == YAML_MAPPING_NODE ? n : node(p, n->data.sequence.items.start[i]);
        struct scn_jitter *j = &s->jitter[s->njitter++];
        struct jit_ctx c = { j, false, false };
        j->line = line_of(it);
        if (each_key(p, it, "a jitter entry", jitter_keys, jitter_key, &c))
            return -1;
        if (!c.has_irq || !c.has_max)
            return perr(p, it, "jitter: expected irq: PERIPH and max: TIME");
        if (j->max_ns < j->min_ns)
            return perr(p, it, "jitter: max is below min");
    }
    return 0;
}

static int parse_set(struct pctx *p, yaml_node_t *n)
{
    struct scenario *s = p->s;
    if (n->type != YAML_MAPPING_NODE)
        return perr(p, n, "set: found %s, expected a mapping PERIPH.PROP: VALUE", kind_name(n));
    s->sets = xcalloc((size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start),
                      sizeof *s->sets);
    for (yaml_node_pair_t *a = n->data.mapping.pairs.start; a < n->data.mapping.pairs.top; a++) {
        yaml_node_t *k = node(p, a->key), *v = node(p, a->value);
        const char *key, *val, *dot;
        char name[64];
        uint64_t num;
        if (want_scalar(p, k, "set", &key) || want_scalar(p, v, key, &val))
            return -1;
        dot = strchr(key, '.');
        if (!dot || dot == key || !dot[1] || (size_t)(dot - key) >= sizeof name)
            return perr(p, k, "set: found '%s', expected PERIPH.PROP (e.g. rtc1.start_count)", key);
        if (!strcmp(key, "alarm.wrap_after")) {
            /* a time: the alarm counter is started that long before its wrap */
            uint64_t ns;
            char buf[32];
            if (want_time(p, v, key, &ns))
                return -1;
            snprintf(buf, sizeof buf, "%llu", (unsigned long long)ns);
            s->sets[s->nsets].key = xstrdup(key);
            s->sets[s->nsets].value = xstrdup(buf);
            s->sets[s->nsets].line = line_of(k);
            s->nsets++;
            continue;
        }
        if (sim_parse_u64(val, &num))
            return perr(p, v, "set %s: found '%s', expected a number (decimal, 0x.. or 0b..)",
                        key, val);
        memcpy(name, key, (size_t)(dot - key));
        name[dot - key] = 0;
        for (unsigned i = 0; i < s->nboards; i++) {
            const struct board_desc *b = board_find(s->boards[i]);
            const char *pn = !strcmp(name, "alarm") ? scn_alarm_timer(b->name) : name;
            if (!pn || !find_inst(b, pn)) {
                char names[300] = "";
                for (unsigned k2 = 0; k2 < b->nperiphs; k2++) {
                    strncat(names, k2 ? ", " : "", sizeof names - strlen(names) - 1);
                    strncat(names, b->periphs[k2].name, sizeof names - strlen(names) - 1);
                }
                return perr(p, k, "set %s: board %s has no peripheral '%s' (it has: %s, alarm)",
                            key, b->name, name, names);
            }
        }
        s->sets[s->nsets].key = xstrdup(key);
        s->sets[s->nsets].value = xstrdup(val);
        s->sets[s->nsets].line = line_of(k);
        s->nsets++;
    }
    return 0;
}

/* seeds: N, [a, b, ...] or "A..B" */
static int parse_seeds(struct pctx *p, yaml_node_t *n)
{
    struct scenario *s = p->s;
    if (n->type == YAML_SCALAR_NODE) {
        const char *v = (const char *)n->data.scalar.value, *dots = strstr(v, "..");
        uint64_t a, b;
        if (dots) {
            char first[32];
            if ((size_t)(dots - v) >= sizeof first)
                return perr(p, n, "seeds: found '%s', expected N, A..B or a list", v);
            memcpy(first, v, (size_t)(dots - v));
            first[dots - v] = 0;
            if (sim_parse_u64(first, &a) || sim_parse_u64(dots + 2, &b) || b < a ||
                b - a >= 100000)
                return perr(p, n, "seeds: found '%s', expected A..B with A <= B (at most "
                            "100000 seeds)", v);
            s->seeds = xcalloc(b - a + 1, sizeof *s->seeds);
            for (uint64_t x = a; x <= b; x++)
                s->seeds[s->nseeds++] = x;
            return 0;
        }
        s->seeds = xcalloc(1, sizeof *s->seeds);
        s->nseeds = 1;
        return want_u64(p, n, "seed", &s->seeds[0]);
    }
    if (n->type != YAML_SEQUENCE_NODE)
        return perr(p, n, "seeds: found %s, expected N, A..B or a list", kind_name(n));
    s->seeds = xcalloc((size_t)(n->data.sequence.items.top - n->data.sequence.items.start),
                       sizeof *s->seeds);
    for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++)
        if (want_u64(p, node(p, *i), "seeds", &s->seeds[s->nseeds++]))
            return -1;
    return 0;
}

static const char *const stop_keys[] = { "time", "console", "all_apps_exited", NULL };

static int stop_key(struct pctx *p, const char *key, yaml_node_t *k, yaml_node_t *v, void *vctx)
{
    struct scenario *s = p->s;
    (void)k;
    (void)vctx;
    if (!strcmp(key, "time")) {
        if (want_time(p, v, "stop time", &s->stop_ns))
            return -1;
        if (!s->stop_ns)
            return perr(p, v, "stop time: found 0, expected a positive time");
        return 0;
    }
    if (!strcmp(key, "console"))
        return want_string(p, v, "stop console", &s->stop_console);
    return want_bool(p, v, "all_apps_exited", &s->stop_all_exited);
}

static const char *const top_keys[] = {
    "name", "description", "board", "boards", "kernel", "apps", "set", "jitter", "seed", "seeds",
    "stimuli", "expect", "stop", "allow_fault", "catches", NULL,
};

static int top_key(struct pctx *p, const char *key, yaml_node_t *k, yaml_node_t *v, void *vctx)
{
    struct scenario *s = p->s;
    (void)k;
    (void)vctx;
    /* board(s), set, jitter, stimuli and expect are parsed after the boards are known */
    if (!strcmp(key, "name")) {
        free(s->name);
        return want_string(p, v, "name", &s->name);
    }
    if (!strcmp(key, "description"))
        return want_string(p, v, "description", &s->description);
    if (!strcmp(key, "kernel")) {
        s->kernel_line = line_of(v);
        return want_string(p, v, "kernel", &s->kernel);
    }
    if (!strcmp(key, "apps")) {
        if (v->type == YAML_SEQUENCE_NODE && v->data.sequence.items.top == v->data.sequence.items.start) {
            s->apps = xcalloc(1, sizeof *s->apps);
            return 0;                               /* apps: [] = kernel only */
        }
        return want_list(p, v, "apps", &s->apps, &s->napps, &s->app_lines);
    }
    if (!strcmp(key, "seed") || !strcmp(key, "seeds")) {
        if (s->nseeds)
            return perr(p, k, "give either seed or seeds, not both");
        return parse_seeds(p, v);
    }
    if (!strcmp(key, "stop")) {
        s->stop_line = line_of(v);
        return each_key(p, v, "stop", stop_keys, stop_key, NULL);
    }
    if (!strcmp(key, "allow_fault"))
        return want_bool(p, v, "allow_fault", &s->allow_fault);
    if (!strcmp(key, "catches"))
        return want_list(p, v, "catches", &s->catches, &s->ncatches, NULL);
    return 0;
}

static int parse_boards(struct pctx *p, yaml_node_t *root)
{
    struct scenario *s = p->s;
    yaml_node_t *b1 = map_get(p, root, "board"), *b2 = map_get(p, root, "boards"), *n = b1 ? b1 : b2;
    char **names = NULL;
    unsigned cnt = 0;
    int *lines = NULL, rc = 0;

    if (b1 && b2)
        return perr(p, b2, "give either board or boards, not both");
    if (!n) {
        s->boards[s->nboards++] = board_list[0]->name;
        return 0;
    }
    if (n->type == YAML_SCALAR_NODE && !strcmp((const char *)n->data.scalar.value, "all")) {
        for (unsigned i = 0; i < board_count && i < SCN_MAX_BOARDS; i++)
            s->boards[s->nboards++] = board_list[i]->name;
        return 0;
    }
    if (want_list(p, n, "board", &names, &cnt, &lines))
        goto out_err;
    if (cnt > SCN_MAX_BOARDS) {
        rc = perr(p, n, "board: %u boards, at most %u", cnt, SCN_MAX_BOARDS);
        goto out;
    }
    for (unsigned i = 0; i < cnt; i++) {
        const struct board_desc *b = board_find(names[i]);
        if (!b) {
            char list[200] = "";
            for (unsigned k = 0; k < board_count; k++) {
                strcat(list, k ? ", " : "");
                strcat(list, board_list[k]->name);
            }
            rc = sim_errorf(p->err, "%s:%d: unknown board '%s' (expected one of: %s, or all)",
                            p->path, lines[i], names[i], list);
            goto out;
        }
        for (unsigned k = 0; k < s->nboards; k++)
            if (s->boards[k] == b->name) {
                rc = sim_errorf(p->err, "%s:%d: board '%s' listed twice", p->path, lines[i],
                                names[i]);
                goto out;
            }
        s->boards[s->nboards++] = b->name;
    }
    goto out;
out_err:
    rc = -1;
out:
    for (unsigned i = 0; i < cnt; i++)
        free(names[i]);
    free(names);
    free(lines);
    return rc;
}

static void set_name_from_path(struct scenario *s)
{
    const char *base = strrchr(s->path, '/');
    const char *dot;
    base = base ? base + 1 : s->path;
    dot = strrchr(base, '.');
    s->name = strndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
    {
        const char *slash = strrchr(s->path, '/');
        s->dir = slash ? strndup(s->path, (size_t)(slash - s->path)) : strdup(".");
    }
}

int scn_parse_text(const char *path, const char *text, size_t len, struct scenario **out,
                   struct sim_error *err)
{
    struct pctx p;
    yaml_parser_t parser;
    yaml_node_t *root, *n;
    int rc = -1;

    *out = NULL;
    memset(&p, 0, sizeof p);
    p.path = path;
    p.err = err;
    p.s = xcalloc(1, sizeof *p.s);
    p.s->path = xstrdup(path);
    set_name_from_path(p.s);
    p.s->stop_ns = 10ull * 1000000000ull;
    if (!yaml_parser_initialize(&parser)) {
        sim_errorf(err, "%s: cannot initialise the YAML parser", path);
        scn_free(p.s);
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &p.doc)) {
        const char *what = parser.error == YAML_READER_ERROR ? "bad input" :
                           parser.error == YAML_SCANNER_ERROR ? "syntax error" :
                           parser.error == YAML_PARSER_ERROR ? "syntax error" : "error";
        yaml_mark_t mk = parser.problem_mark;
        if (parser.error == YAML_READER_ERROR)
            sim_errorf(err, "%s: offset %zu: %s: %s", path, parser.problem_offset, what,
                       parser.problem ? parser.problem : "?");
        else if (parser.context)
            sim_errorf(err, "%s:%zu:%zu: %s: %s %s that starts on line %zu", path, mk.line + 1,
                       mk.column + 1, what, parser.problem ? parser.problem : "?", parser.context,
                       parser.context_mark.line + 1);
        else
            sim_errorf(err, "%s:%zu:%zu: %s: %s", path, mk.line + 1, mk.column + 1, what,
                       parser.problem ? parser.problem : "?");
        yaml_parser_delete(&parser);
        scn_free(p.s);
        return -1;
    }
    yaml_parser_delete(&parser);
    root = yaml_document_get_root_node(&p.doc);
    if (!root) {
        sim_errorf(err, "%s:1: the file is empty (expected a scenario: board, apps, expect, stop)",
                   path);
        goto out;
    }
    if (root->type != YAML_MAPPING_NODE) {
        perr(&p, root, "found %s at the top, expected a mapping (board:, apps:, expect:, ...)",
             kind_name(root));
        goto out;
    }
    if (parse_boards(&p, root))
        goto out;
    if (each_key(&p, root, "the scenario", top_keys, top_key, NULL))
        goto out;
    if ((n = map_get(&p, root, "set")) && parse_set(&p, n))
        goto out;
    if ((n = map_get(&p, root, "jitter")) && parse_jitter(&p, n))
        goto out;
    if ((n = map_get(&p, root, "stimuli")) && parse_stimuli(&p, n))
        goto out;
    if ((n = map_get(&p, root, "expect")) && parse_expect(&p, n))
        goto out;
    for (unsigned i = 0; i < p.s->nstims; i++)
        if (!p.s->stims[i].on && p.s->stims[i].at_ns >= p.s->stop_ns) {
            char t1[32], t2[32];
            sim_errorf(err, "%s:%d: stimulus at %s is not before the stop time %s (line %d)",
                       path, p.s->stims[i].line,
                       sclock_fmt_ns(p.s->stims[i].at_ns, t1, sizeof t1),
                       sclock_fmt_ns(p.s->stop_ns, t2, sizeof t2), p.s->stop_line);
            goto out;
        }
    for (unsigned i = 0; i < p.s->nexpects; i++) {
        struct scn_expect *e = &p.s->expects[i];
        if ((e->kind == SCN_EXP_LED || e->kind == SCN_EXP_GPIO) && e->at_ns > p.s->stop_ns) {
            char t1[32], t2[32];
            sim_errorf(err, "%s:%d: %s check at %s is after the stop time %s", path, e->line,
                       e->kind == SCN_EXP_LED ? "led" : "gpio",
                       sclock_fmt_ns(e->at_ns, t1, sizeof t1),
                       sclock_fmt_ns(p.s->stop_ns, t2, sizeof t2));
            goto out;
        }
        if (e->kind == SCN_EXP_FAULT || e->kind == SCN_EXP_PANIC)
            p.s->allow_fault = true;
    }
    if (!p.s->nseeds) {
        p.s->seeds = xcalloc(1, sizeof *p.s->seeds);
        p.s->seeds[0] = 1;
        p.s->nseeds = 1;
    }
    rc = 0;
out:
    yaml_document_delete(&p.doc);
    if (rc)
        scn_free(p.s);
    else
        *out = p.s;
    return rc;
}

int scn_parse_file(const char *path, struct scenario **out, struct sim_error *err)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    int rc;

    *out = NULL;
    if (!f)
        return sim_errorf(err, "%s: cannot open (%s)", path, strerror(errno));
    if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
        fclose(f);
        return sim_errorf(err, "%s: cannot read", path);
    }
    if (n > 4 << 20) {
        fclose(f);
        return sim_errorf(err, "%s: %ld bytes, expected a scenario under 4 MiB", path, n);
    }
    buf = xcalloc((size_t)n + 1, 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(buf);
        return sim_errorf(err, "%s: cannot read", path);
    }
    fclose(f);
    rc = scn_parse_text(path, buf, (size_t)n, out, err);
    free(buf);
    return rc;
}

void scn_free(struct scenario *s)
{
    if (!s)
        return;
    free(s->path);
    free(s->dir);
    free(s->name);
    free(s->description);
    free(s->kernel);
    for (unsigned i = 0; i < s->napps; i++)
        free(s->apps[i]);
    free(s->apps);
    free(s->app_lines);
    for (unsigned i = 0; i < s->nsets; i++) {
        free(s->sets[i].key);
        free(s->sets[i].value);
    }
    free(s->sets);
    for (unsigned i = 0; i < s->njitter; i++)
        free(s->jitter[i].periph);
    free(s->jitter);
    free(s->seeds);
    for (unsigned i = 0; i < s->nstims; i++) {
        free(s->stims[i].name);
        free(s->stims[i].data);
        free(s->stims[i].on);
    }
    free(s->stims);
    for (unsigned i = 0; i < s->nexpects; i++) {
        free(s->expects[i].text);
        free(s->expects[i].name);
        if (s->expects[i].re_ok)
            regfree(&s->expects[i].re);
    }
    free(s->expects);
    for (unsigned i = 0; i < s->ncatches; i++)
        free(s->catches[i]);
    free(s->catches);
    free(s->stop_console);
    free(s);
}
