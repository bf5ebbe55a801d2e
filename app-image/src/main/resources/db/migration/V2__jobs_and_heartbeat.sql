-- Durable background jobs. A claim is fenced by claim_token: only the holder of the latest claim may finish a job.
CREATE TABLE jobs (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    type         VARCHAR(64)  NOT NULL,
    params       TEXT         NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    attempts     INT          NOT NULL DEFAULT 0,
    run_after    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    claimed_by   VARCHAR(100) NULL,
    claim_token  VARCHAR(64)  NULL,
    lease_until  TIMESTAMP(3) NULL,
    completed_by VARCHAR(100) NULL,
    result       MEDIUMTEXT   NULL,
    error        VARCHAR(1000) NULL,
    created_by   BIGINT       NOT NULL,
    created_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    INDEX ix_jobs_queue (status, run_after),
    INDEX ix_jobs_lease (status, lease_until)
) ENGINE = InnoDB;

-- Written on the primary by every API pod, read on the replica: how far behind the replica is, with no privilege
-- beyond the app's own schema (the pt-heartbeat technique).
CREATE TABLE heartbeat (
    id  INT    NOT NULL PRIMARY KEY,
    ts  BIGINT NOT NULL
) ENGINE = InnoDB;
INSERT INTO heartbeat (id, ts) VALUES (1, 0);
