package io.teachtrack.operator.model;

/** The parts of a TeachTrack platform, as they appear in the app.kubernetes.io/component label. */
public enum Component {
    API("api"), WORKER("worker"), REDIS("redis"), MYSQL("mysql");

    private final String label;

    Component(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
