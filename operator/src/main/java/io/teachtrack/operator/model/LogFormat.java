package io.teachtrack.operator.model;

/** How the operator and the API and worker pods it runs write their logs: text lines, or one JSON object per line. */
public enum LogFormat {
    TEXT, JSON
}
