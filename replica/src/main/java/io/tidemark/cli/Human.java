package io.tidemark.cli;

import java.time.Duration;

/** Sizes and ages as people read them: {@code 1.5 MiB}, {@code 3h 20m}. */
final class Human {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Human() {}

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format("%.1f %s", v, UNITS[unit]);
    }

    /** The two largest units of an age: {@code 45s}, {@code 12m 5s}, {@code 3h 20m}, {@code 4d 2h}. */
    static String age(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        } else if (s < 3600) {
            return s / 60 + "m " + s % 60 + "s";
        } else if (s < 86_400) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
    }
}
