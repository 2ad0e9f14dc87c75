package io.tidemark.cli;

import io.tidemark.core.change.MalformedChangeException;
import io.tidemark.core.change.SequenceGapException;
import io.tidemark.core.lease.LeaseHeldException;
import io.tidemark.core.manifest.InvalidHeadException;
import io.tidemark.core.manifest.InvalidManifestException;
import io.tidemark.core.manifest.NoHeadException;
import io.tidemark.core.snapshot.CorruptSnapshotException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.regex.Pattern;

/** Turns a failure into one plain line and an exit code; no Java class name reaches the user. */
final class CliErrors {
    /** A qualified or simple exception class name, with the ": " that usually follows it. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(?:[a-z_$][\\w$]*\\.)*[A-Z][\\w$]*(?:Exception|Error)\\b(?::\\s*)?");

    private CliErrors() {}

    /** Bad input is our own {@link IllegalArgumentException}; a library's means something failed. */
    static boolean isBadInput(Throwable e) {
        if (!(e instanceof IllegalArgumentException)) {
            return false;
        }
        StackTraceElement[] at = e.getStackTrace();
        return at.length > 0 && at[0].getClassName().startsWith("io.tidemark.");
    }

    static int exitCode(Throwable e) {
        if (e instanceof SequenceGapException) {
            return ExitCodes.GAP;
        } else if (e instanceof LeaseHeldException) {
            return ExitCodes.LEASE_HELD;
        }
        return isBadInput(e) ? ExitCodes.BAD_INPUT : ExitCodes.FAILED;
    }

    /** What kind of failure, as the line's first word(s). */
    static String kind(Throwable e) {
        if (isBadInput(e)) {
            return "bad input";
        } else if (e instanceof MissingStoreException) {
            return "no store";
        } else if (e instanceof NoHeadException) {
            return "no snapshot";
        } else if (e instanceof SequenceGapException) {
            return "gap";
        } else if (e instanceof LeaseHeldException) {
            return "lease held";
        } else if (e instanceof InvalidHeadException) {
            return "corrupt HEAD";
        } else if (e instanceof CorruptSnapshotException || e instanceof InvalidManifestException) {
            return "corrupt snapshot";
        } else if (e instanceof MalformedChangeException) {
            return "malformed change";
        }
        return "failed";
    }

    /** The message a user reads: the exception's own words, or its cause's, with class names cut. */
    static String message(Throwable e) {
        Throwable t = e;
        // Wrappers made from a cause alone (new UncheckedIOException(e)) carry only "Class: message".
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString()))) {
            t = t.getCause();
        }
        String text = t instanceof FileSystemException fs ? fileProblem(fs) : t.getMessage();
        if (t instanceof UncheckedIOException && t.getCause() != null) {
            // Our words say where (the file, the store); the cause says what went wrong there.
            Throwable cause = t.getCause();
            String why = cause instanceof FileSystemException fs ? fileProblem(fs) : cause.getMessage();
            if (why != null && (text == null || !text.contains(why))) {
                text = text == null ? why : text + ": " + why;
            }
        }
        if (text == null || text.isBlank()) {
            return "unexpected failure with no message (TIDEMARK_DEBUG=1 prints the stack trace)";
        }
        return CLASS_NAME.matcher(text).replaceAll("").trim();
    }

    private static String fileProblem(FileSystemException e) {
        String what = e instanceof NoSuchFileException ? "no such file or folder"
                : e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileAlreadyExistsException ? "already exists"
                : e instanceof DirectoryNotEmptyException ? "folder not empty"
                : e.getReason() != null ? e.getReason() : "file system error";
        return what + ": " + e.getFile() + (e.getOtherFile() != null ? " -> " + e.getOtherFile() : "");
    }
}
