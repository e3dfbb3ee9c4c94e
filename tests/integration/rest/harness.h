/* Starts vpcep-emulator for the client integration tests and reads its seed. */
#ifndef VPCEP_IT_HARNESS_H
#define VPCEP_IT_HARNESS_H

#include <vpcep/vpcep.h>

/* cmocka.h needs these first; tests include harness.h before cmocka.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct it_account {
    char domain_id[80];
    char project_id[80];
    char vpc_id[80];
    char subnet_id[80];
    char port_id[2][80];
    char route_table[80];
} it_account;

typedef struct it_emu {
    pid_t pid;
    char url[256];
    it_account owner;
    it_account consumer;
} it_emu;

/* Path of the emulator binary (argv[1]); exits 77 when it is missing. */
void it_set_binary(const char *path);
/* Starts the emulator with extra arguments (NULL-terminated list); fills the seed. */
int it_start(it_emu *e, const char *const *args);
void it_stop(it_emu *e);
/* Client options for an account of the built-in seed. mode: "aksk", "token", "password". */
void it_options(const it_emu *e, const char *who, const char *mode, vpcep_client_options *o);
vpcep_client *it_client(const it_emu *e, const char *who, const char *mode);
/* A token obtained directly from the emulator's IAM endpoint (caller frees). */
char *it_token(const it_emu *e, const char *who);
/* Counts of /__emulator/objects: services and endpoints of every project. */
int it_counts(const it_emu *e, int *services, int *endpoints);
/** Moves the clock of an emulator started with --manual-clock @p ms ahead. @return 0 or -1. */
int it_clock(const it_emu *e, long ms);
long it_now_ms(void);

#endif
