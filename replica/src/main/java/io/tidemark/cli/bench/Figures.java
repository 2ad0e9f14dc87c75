package io.tidemark.cli.bench;

import java.util.ArrayList;
import java.util.List;

/** Collects and prints benchmark figures, one line each, with baseline and ratio. */
final class Figures {
    record Figure(String name, double value, String unit, String baselineName, double baseline, String target) {
        String line() {
            return String.format("%-34s %12.1f %-10s | %-40s %12.1f | ratio %6.2fx | target %s", name, value, unit,
                    baselineName, baseline, baseline == 0 ? 0 : value / baseline, target);
        }
    }

    private final List<Figure> figures = new ArrayList<>();

    void add(String name, double value, String unit, String baselineName, double baseline, String target) {
        Figure f = new Figure(name, value, unit, baselineName, baseline, target);
        figures.add(f);
        System.out.println(f.line());
    }

    void note(String line) {
        System.out.println("  " + line);
    }
}
