package io.tidemark.core.build;

/** Tidemark's version, recorded in every manifest. */
public final class Version {
    public static final String CURRENT = read();

    private Version() {}

    private static String read() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }
}
