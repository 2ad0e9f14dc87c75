package io.tidemark.core.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

/**
 * The page numbers a SQLite write-ahead log holds, read from its frame headers: the cheapest way to
 * learn which pages a replay changed (it costs one 24-byte read per frame, not a pass over the
 * database). Only frames of the log's current generation (its salts) up to the last commit frame
 * count; anything after is an unfinished transaction or a previous generation's leftovers.
 *
 * <p>Layout (sqlite.org/fileformat.html, "WAL file format"): a 32-byte header whose bytes 8-11 are
 * the page size and 16-23 the salts, then frames of a 24-byte header (page number, database size in
 * pages for a commit frame else 0, the two salts, a checksum) and one page.
 */
public final class WalPages {
    private static final int HEADER = 32;
    private static final int FRAME_HEADER = 24;

    private WalPages() {}

    /** The pages the log commits, and the database's size in pages at its last commit (0: none). */
    public record Committed(BitSet pages, int databasePages) {}

    /** Adds the pages {@code wal} commits to {@code into}; a missing or empty log commits nothing. */
    public static Committed read(Path wal, BitSet into) {
        try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER) {
                return new Committed(into, 0);
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            readFully(ch, header, 0);
            int magic = header.getInt(0);
            if (magic != 0x377f0682 && magic != 0x377f0683) {
                throw new CorruptSnapshotException(wal + " is not a SQLite write-ahead log");
            }
            int pageSize = header.getInt(8);
            int salt1 = header.getInt(16);
            int salt2 = header.getInt(20);
            BitSet pending = new BitSet();
            int databasePages = 0;
            ByteBuffer frame = ByteBuffer.allocate(FRAME_HEADER);
            for (long at = HEADER; at + FRAME_HEADER + pageSize <= size; at += FRAME_HEADER + pageSize) {
                frame.clear();
                readFully(ch, frame, at);
                if (frame.getInt(8) != salt1 || frame.getInt(12) != salt2) {
                    break;
                }
                pending.set(frame.getInt(0));
                int commitSize = frame.getInt(4);
                if (commitSize != 0) {
                    into.or(pending);
                    pending.clear();
                    databasePages = commitSize;
                }
            }
            return new Committed(into, databasePages);
        } catch (NoSuchFileException e) {
            return new Committed(into, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the write-ahead log " + wal, e);
        }
    }

    /** The log beside a database file. */
    public static Path of(Path db) {
        return db.resolveSibling(db.getFileName() + "-wal");
    }

    public static long size(Path db) {
        try {
            return Files.size(of(db));
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf, at + buf.position()) < 0) {
                throw new java.io.EOFException("write-ahead log ends early");
            }
        }
    }
}
