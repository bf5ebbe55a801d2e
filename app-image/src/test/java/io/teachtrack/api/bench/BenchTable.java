package io.teachtrack.api.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One Markdown table of results, printed and written under target/bench. */
public final class BenchTable {

    private final String title;
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public BenchTable(String title, String... header) {
        this.title = title;
        this.header = List.of(header);
    }

    public BenchTable row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : String.valueOf(cell));
        }
        rows.add(row);
        return this;
    }

    public String markdown() {
        StringBuilder out = new StringBuilder("### ").append(title).append("\n\n| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> out.append("---|"));
        out.append('\n');
        rows.forEach(row -> out.append("| ").append(String.join(" | ", row)).append(" |\n"));
        return out.toString();
    }

    public void print(Path file) {
        String markdown = markdown();
        System.out.println("\n" + markdown);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, markdown + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
