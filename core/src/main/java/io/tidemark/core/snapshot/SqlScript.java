package io.tidemark.core.snapshot;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits an SQL script into statements (the JDBC driver runs only the first statement of a string):
 * on semicolons outside quotes, comments and trigger bodies ({@code BEGIN ... END}).
 */
public final class SqlScript {
    private SqlScript() {}

    public static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        int n = script.length();
        for (int i = 0; i < n; i++) {
            char c = script.charAt(i);
            if (c == '\'' || c == '"' || c == '`' || c == '[') {
                char close = c == '[' ? ']' : c;
                int j = i + 1;
                while (j < n && script.charAt(j) != close) {
                    j++;
                }
                cur.append(script, i, Math.min(n, j + 1));
                i = j;
            } else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                while (i < n && script.charAt(i) != '\n') {
                    i++;
                }
                cur.append('\n');
            } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int end = script.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 1;
                cur.append(' ');
            } else if (Character.isLetter(c) && (i == 0 || !isWord(script.charAt(i - 1)))) {
                int j = i;
                while (j < n && isWord(script.charAt(j))) {
                    j++;
                }
                String word = script.substring(i, j).toUpperCase(Locale.ROOT);
                if (word.equals("BEGIN") && cur.toString().toUpperCase(Locale.ROOT).contains("TRIGGER")) {
                    depth++;
                } else if (word.equals("END") && depth > 0) {
                    depth--;
                }
                cur.append(script, i, j);
                i = j - 1;
            } else if (c == ';' && depth == 0) {
                add(out, cur);
            } else {
                cur.append(c);
            }
        }
        add(out, cur);
        return out;
    }

    /** Runs every statement of {@code script} in order. */
    public static void run(Connection c, String script) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : split(script)) {
                s.execute(sql);
            }
        }
    }

    private static boolean isWord(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static void add(List<String> out, StringBuilder cur) {
        String s = cur.toString().trim();
        if (!s.isEmpty()) {
            out.add(s);
        }
        cur.setLength(0);
    }
}
