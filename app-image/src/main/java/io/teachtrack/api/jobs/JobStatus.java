package io.teachtrack.api.jobs;

public enum JobStatus { QUEUED, RUNNING, DONE, FAILED }
