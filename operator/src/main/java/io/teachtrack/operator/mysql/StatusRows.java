package io.teachtrack.operator.mysql;

import java.util.Map;

/** Reads the columns both engines' replica status rows share, given each engine's names for the rest. */
final class StatusRows {

    private StatusRows() {
    }

    static ReplicaState parse(Map<String, Object> row, String ioRunning, String sqlRunning, String behind,
                              String host, String port, String received) {
        String io = text(row.get(ioRunning));
        return new ReplicaState(true,
                text(row.get(host)),
                row.get(port) == null ? null : Integer.valueOf(text(row.get(port))),
                "Yes".equalsIgnoreCase(io),
                "Connecting".equalsIgnoreCase(io),
                "Yes".equalsIgnoreCase(text(row.get(sqlRunning))),
                row.get(behind) == null || text(row.get(behind)).isEmpty() ? null : Long.valueOf(text(row.get(behind))),
                number(row.get("Last_IO_Errno")), text(row.get("Last_IO_Error")),
                number(row.get("Last_SQL_Errno")), text(row.get("Last_SQL_Error")), text(row.get(received)).replace("\n", ""));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString().trim();
    }

    private static int number(Object value) {
        String text = text(value);
        return text.isEmpty() ? 0 : Integer.parseInt(text);
    }
}
