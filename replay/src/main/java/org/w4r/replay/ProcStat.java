package org.w4r.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of one line of {@code /proc/<pid>/stat} the bench needs (proc(5)): the parent, and CPU time in clock
 * ticks spent by the process itself (utime, stime) and by its children it has waited for (cutime, cstime).
 */
record ProcStat(int pid, String comm, int ppid, long utime, long stime, long cutime, long cstime) {

    /**
     * The command name is in parentheses and may itself hold spaces and parentheses ("(postgres: w4r_tally …)"),
     * so the fields are counted from the last ')'.
     */
    static ProcStat parse(String line) {
        int open = line.indexOf('('), close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
        }
        // after ')': state(3) ppid(4) pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime cutime cstime
        String[] f = line.substring(close + 1).trim().split("\\s+");
        if (f.length < 15) {
            throw new IllegalArgumentException("too few fields in /proc/<pid>/stat: " + line);
        }
        return new ProcStat(Integer.parseInt(line.substring(0, open).trim()), line.substring(open + 1, close),
                Integer.parseInt(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                Long.parseLong(f[14]));
    }

    /** Empty when the process is gone (or never was): its pid file outlived it, or it exited while being read. */
    static Optional<ProcStat> read(Path proc, int pid) {
        try {
            return Optional.of(parse(Files.readString(proc.resolve(pid + "/stat"))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Its own CPU and that of the children it has reaped: what it has cost so far, apart from children still alive. */
    long ticks() {
        return utime + stime + cutime + cstime;
    }
}
