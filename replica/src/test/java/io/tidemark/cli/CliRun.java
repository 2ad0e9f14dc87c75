package io.tidemark.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** The tidemark CLI run in process as a user types it: exit code, standard output and error. */
public record CliRun(int code, String out, String err) {
    /** Runs one command line; serialised, since it swaps System.out and System.err. */
    public static synchronized CliRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            int code = TidemarkCli.run(args);
            return new CliRun(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
