/*
 * rusage_exec: runs a program and appends what it cost to a file, for the benchmarks that
 * wrap the plugin in the dev_overrides directory (terraform starts the wrapper, the wrapper
 * starts the plugin; stdin, stdout and stderr pass through untouched).
 *
 *   rusage_exec OUTFILE PROGRAM [ARGS...]
 *
 * Appends one line "user_ms sys_ms maxrss_kib" to OUTFILE when PROGRAM exits (wait4's rusage
 * of that child: CPU time and peak resident set size), and exits with PROGRAM's exit code
 * (128 + signal when it was killed). SIGTERM and SIGINT are passed on to the child.
 * Benchmark code only.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t child = -1;

static void forward(int sig)
{
    if (child > 0)
        kill(child, sig);
}

int main(int argc, char **argv)
{
    struct rusage ru;
    struct sigaction sa;
    char line[96];
    int status = 0, fd, n;
    pid_t r;

    if (argc < 3) {
        fprintf(stderr, "usage: %s OUTFILE PROGRAM [ARGS...]\n", argv[0]);
        return 2;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = forward;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    child = fork();
    if (child < 0) {
        perror("rusage_exec: fork");
        return 127;
    }
    if (child == 0) {
        execv(argv[2], argv + 2);
        perror("rusage_exec: exec");
        _exit(127);
    }
    do
        r = wait4(child, &status, 0, &ru);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        perror("rusage_exec: wait4");
        return 127;
    }
    n = snprintf(line, sizeof(line), "%ld %ld %ld\n",
                 (long)ru.ru_utime.tv_sec * 1000 + (long)ru.ru_utime.tv_usec / 1000,
                 (long)ru.ru_stime.tv_sec * 1000 + (long)ru.ru_stime.tv_usec / 1000, ru.ru_maxrss);
    fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        if (write(fd, line, (size_t)n) != n)
            perror("rusage_exec: write");
        close(fd);
    }
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
