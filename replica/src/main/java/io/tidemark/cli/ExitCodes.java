package io.tidemark.cli;

/** The CLI's exit codes, kept stable for schedulers and scripts (README, "Exit codes"). */
final class ExitCodes {
    static final int OK = 0;
    /** Something failed; the message names what and where. */
    static final int FAILED = 1;
    /** Bad input or configuration: a flag, a file, an id. Nothing was changed. */
    static final int BAD_INPUT = 2;
    /** Changes after HEAD fell off a stream before a snapshot held them. */
    static final int GAP = 3;
    /** Another builder holds the snapshot lease; try again after it expires. */
    static final int LEASE_HELD = 4;

    private ExitCodes() {}
}
