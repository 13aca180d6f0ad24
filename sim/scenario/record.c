/* --record / --replay logs. A text file, one item per line:
 *
 *   tocksim-record 1
 *   board nrf52840dk
 *   kernel /abs/os/kernel-nrf52840dk.elf      (an ELF: kernel, or image with apps)
 *   app /abs/apps/hello-arm.tbf               (zero or more)
 *   set rtc1.start_count=0xFFFC18             (zero or more)
 *   seed 7
 *   max-cycles 640000000                      (or: none)
 *   until 50415353                            (--until-text, hex; optional)
 *   variant bug-boundary                      (optional)
 *   scenario tests/scenario/x.scn             (optional: expectations come from it)
 *   stdin 1                                   (optional: keyboard polling was on)
 *   in 7040000 uart 68656c6c6f0d              (inputs, by cycle, in order)
 *   in 9600000 button button1 1
 *   in 9700000 gpio gpio1 3 0
 *   end 640000000 9a3c0d1e22b6f4c1            (last cycle, trace hash)
 *
 * Every input is applied at its cycle by an event of the machine's queue,
 * in the recorded order, so a replay sees the run the recording saw. */
#include "run.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../../boards/board.h"

static void put_hex(FILE *f, const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", d[i]);
}

static const char *abs_path(const char *p, char *buf)
{
    return realpath(p, buf) ? buf : p;
}

int scn_record_header(FILE *f, const struct scn_config *cfg, const char *scenario_path)
{
    char buf[PATH_MAX];
    fprintf(f, "tocksim-record 1\nboard %s\nkernel %s\n", cfg->board->name,
            abs_path(cfg->kernel, buf));
    for (unsigned i = 0; i < cfg->napps; i++)
        fprintf(f, "app %s\n", abs_path(cfg->apps[i], buf));
    for (unsigned i = 0; i < cfg->nsets; i++)
        fprintf(f, "set %s\n", cfg->sets[i]);
    fprintf(f, "seed %llu\n", (unsigned long long)cfg->seed);
    if (cfg->max_cycles == CYCLES_NEVER)
        fprintf(f, "max-cycles none\n");
    else
        fprintf(f, "max-cycles %llu\n", (unsigned long long)cfg->max_cycles);
    if (cfg->until_text) {
        fputs("until ", f);
        put_hex(f, (const uint8_t *)cfg->until_text, strlen(cfg->until_text));
        fputc('\n', f);
    }
    if (cfg->variant)
        fprintf(f, "variant %s\n", cfg->variant);
    if (scenario_path)
        fprintf(f, "scenario %s\n", abs_path(scenario_path, buf));
    if (cfg->stdin_input)
        fprintf(f, "stdin 1\n");
    fflush(f);
    return ferror(f) ? -1 : 0;
}

void scn_record_input(FILE *f, const struct scn_input *in)
{
    fprintf(f, "in %llu ", (unsigned long long)in->when);
    switch (in->kind) {
    case SCN_IN_UART:
        fputs("uart ", f);
        put_hex(f, in->data, in->len);
        break;
    case SCN_IN_BUTTON:
        fprintf(f, "button %s %d", in->name, in->level ? 1 : 0);
        break;
    case SCN_IN_GPIO:
        fprintf(f, "gpio %s %u %d", in->name, in->pin, in->level ? 1 : 0);
        break;
    }
    fputc('\n', f);
}

void scn_record_end(FILE *f, cycles_t end, uint64_t hash)
{
    fprintf(f, "end %llu %016llx\n", (unsigned long long)end, (unsigned long long)hash);
    fflush(f);
}

static int get_hex(const char *s, uint8_t **out, size_t *len)
{
    size_t n = strlen(s);
    uint8_t *d;
    if (n % 2)
        return -1;
    d = malloc(n / 2 + 1);
    if (!d)
        return -1;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1) {
            free(d);
            return -1;
        }
        d[i] = (uint8_t)v;
    }
    d[n / 2] = 0;
    *out = d;
    *len = n / 2;
    return 0;
}

int scn_replay_load(const char *path, struct scn_config *cfg, char **scenario_path,
                    struct sim_error *err)
{
    FILE *f = fopen(path, "r");
    char line[8192], *arg = line;
    unsigned lineno = 0, cap = 0;
    bool magic = false, have_end = false;

    memset(cfg, 0, sizeof *cfg);
    *scenario_path = NULL;
    cfg->replaying = true;
    cfg->max_cycles = CYCLES_NEVER;
    if (!f)
        return sim_errorf(err, "%s: cannot open (%s)", path, strerror(errno));
    while (fgets(line, sizeof line, f)) {
        char *nl = strchr(line, '\n');
        lineno++;
        if (!nl) {
            fclose(f);
            return sim_errorf(err, "%s:%u: line too long", path, lineno);
        }
        *nl = 0;
        if (!line[0] || line[0] == '#')
            continue;
        arg = strchr(line, ' ');
        if (arg)
            *arg++ = 0;
        else
            arg = line + strlen(line);
        if (!magic) {
            if (strcmp(line, "tocksim-record") || strcmp(arg, "1")) {
                fclose(f);
                return sim_errorf(err, "%s:%u: not a tocksim record (expected 'tocksim-record 1')",
                                  path, lineno);
            }
            magic = true;
            continue;
        }
        if (!strcmp(line, "board")) {
            cfg->board = board_find(arg);
            if (!cfg->board)
                goto bad;
        } else if (!strcmp(line, "kernel")) {
            snprintf(cfg->kernel, sizeof cfg->kernel, "%s", arg);
        } else if (!strcmp(line, "app")) {
            if (cfg->napps == SCN_MAX_APPS)
                goto bad;
            cfg->apps[cfg->napps++] = strdup(arg);
        } else if (!strcmp(line, "set")) {
            if (cfg->nsets == SCN_MAX_SETS)
                goto bad;
            cfg->sets[cfg->nsets++] = strdup(arg);
        } else if (!strcmp(line, "seed")) {
            if (sim_parse_u64(arg, &cfg->seed))
                goto bad;
        } else if (!strcmp(line, "max-cycles")) {
            if (strcmp(arg, "none") && sim_parse_u64(arg, &cfg->max_cycles))
                goto bad;
        } else if (!strcmp(line, "until")) {
            uint8_t *d;
            size_t n;
            if (get_hex(arg, &d, &n))
                goto bad;
            cfg->until_text = (char *)d;
        } else if (!strcmp(line, "variant")) {
            cfg->variant = strdup(arg);
        } else if (!strcmp(line, "scenario")) {
            free(*scenario_path);
            *scenario_path = strdup(arg);
        } else if (!strcmp(line, "stdin")) {
            cfg->stdin_input = true;
        } else if (!strcmp(line, "in")) {
            struct scn_input in = { 0 };
            unsigned long long when;
            char kind[16], rest[8000];
            int lvl;
            if (sscanf(arg, "%llu %15s %7999[^\n]", &when, kind, rest) < 2)
                goto bad;
            in.when = when;
            if (!strcmp(kind, "uart")) {
                in.kind = SCN_IN_UART;
                if (get_hex(rest, &in.data, &in.len))
                    goto bad;
            } else if (!strcmp(kind, "button")) {
                in.kind = SCN_IN_BUTTON;
                if (sscanf(rest, "%31s %d", in.name, &lvl) != 2)
                    goto bad;
                in.level = lvl != 0;
            } else if (!strcmp(kind, "gpio")) {
                in.kind = SCN_IN_GPIO;
                if (sscanf(rest, "%31s %u %d", in.name, &in.pin, &lvl) != 3)
                    goto bad;
                in.level = lvl != 0;
            } else {
                goto bad;
            }
            if (cfg->nreplay && in.when < cfg->replay[cfg->nreplay - 1].when) {
                free(in.data);
                goto bad;
            }
            if (cfg->nreplay == cap) {
                struct scn_input *n2;
                cap = cap ? cap * 2 : 16;
                n2 = realloc(cfg->replay, cap * sizeof *n2);
                if (!n2) {
                    free(in.data);
                    goto bad;
                }
                cfg->replay = n2;
            }
            cfg->replay[cfg->nreplay++] = in;
        } else if (!strcmp(line, "end")) {
            unsigned long long end, hash;
            if (sscanf(arg, "%llu %llx", &end, &hash) != 2)
                goto bad;
            cfg->replay_end = end;
            cfg->replay_hash = hash;
            have_end = true;
        } else {
            goto bad;
        }
    }
    fclose(f);
    if (!magic)
        return sim_errorf(err, "%s: empty (expected a tocksim record)", path);
    if (!cfg->board || !cfg->kernel[0])
        return sim_errorf(err, "%s: no board or kernel line (expected a complete record)", path);
    if (!have_end)
        return sim_errorf(err, "%s: no 'end' line: the recorded run did not finish", path);
    return 0;
bad:
    fclose(f);
    return sim_errorf(err, "%s:%u: cannot read '%s %s' (expected a record line: board, kernel, "
                      "app, set, seed, max-cycles, until, variant, scenario, stdin, in, end)",
                      path, lineno, line, arg);
}
