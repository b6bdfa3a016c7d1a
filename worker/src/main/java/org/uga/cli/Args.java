package org.uga.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** GNU-style options: {@code --name value}, {@code --name=value}, bare {@code --flag}; the rest are positionals. */
public final class Args {

    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> positionals = new ArrayList<>();
    private final Set<String> read = new LinkedHashSet<>();

    public Args(String... argv) {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("--") && a.length() > 2) {
                String body = a.substring(2);
                int eq = body.indexOf('=');
                if (eq >= 0) {
                    options.put(body.substring(0, eq), body.substring(eq + 1));
                } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                    options.put(body, argv[++i]);
                } else {
                    options.put(body, "true");
                }
            } else {
                positionals.add(a);
            }
        }
    }

    public static Args of(String... argv) {
        return new Args(argv);
    }

    public boolean has(String name) {
        read.add(name);
        return options.containsKey(name);
    }

    public String get(String name, String def) {
        read.add(name);
        return options.getOrDefault(name, def);
    }

    public String require(String name) {
        read.add(name);
        String v = options.get(name);
        if (v == null || v.equals("true")) {
            throw new UsageException("missing required option --" + name);
        }
        return v;
    }

    public int getInt(String name, int def) {
        String v = get(name, null);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects an integer, got '" + v + "'");
        }
    }

    public long getLong(String name, long def) {
        String v = get(name, null);
        if (v == null) {
            return def;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects an integer, got '" + v + "'");
        }
    }

    public double getDouble(String name, double def) {
        String v = get(name, null);
        if (v == null) {
            return def;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a number, got '" + v + "'");
        }
    }

    public boolean flag(String name) {
        String v = get(name, "false");
        return v.equals("true") || v.equals("yes") || v.equals("1");
    }

    public Path path(String name, String def) {
        String v = get(name, def);
        return v == null ? null : Path.of(v);
    }

    /** Comma-separated list, e.g. {@code --patches 0,5,10}. */
    public List<String> list(String name, String def) {
        String v = get(name, def);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public List<String> positionals() {
        return List.copyOf(positionals);
    }

    /** Fails on options the command never asked about, so typos do not pass silently. */
    public void rejectUnknown() {
        for (String k : options.keySet()) {
            if (!read.contains(k)) {
                throw new UsageException("unknown option --" + k);
            }
        }
    }

    /** A wrong command line: printed with the command's usage, exit code 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
