{{/* The TeachTrack alerts as Prometheus rule groups: the PrometheusRule's spec, and what the tests give promtool.
     Every series they read is exported by the operator (namespace, name: the TeachTrack) or by the API and worker pods
     (namespace, name: the TeachTrack, through the PodMonitor). */}}
{{- define "teachtrack-operator.alertGroups" -}}
{{- $rules := .Values.monitoring.prometheusRule -}}
{{- $runbooks := $rules.runbookBaseUrl -}}
groups:
- name: teachtrack.platform
  rules:
  - alert: TeachTrackDegraded
    expr: max by (namespace, name) (teachtrack_platform_phase{phase=~"Degraded|Failed"}) == 1
    for: 10m
    labels: {severity: warning}
    annotations:
      summary: TeachTrack {{ "{{ $labels.namespace }}/{{ $labels.name }}" }} has been Degraded or Failed for 10 minutes.
      description: "kubectl describe tt -n {{ "{{ $labels.namespace }} {{ $labels.name }}" }} shows the conditions and events that say why."
      runbook_url: {{ $runbooks }}#teachtrackdegraded
  - alert: TeachTrackReconcileStale
    expr: time() - max by (namespace, name) (teachtrack_platform_last_successful_reconcile_timestamp_seconds) > 900
    for: 5m
    labels: {severity: warning}
    annotations:
      summary: No reconcile of TeachTrack {{ "{{ $labels.namespace }}/{{ $labels.name }}" }} has succeeded for 15 minutes.
      description: The operator keeps failing on it (or stopped reconciling it); its log and the TeachTrack's events say why.
      runbook_url: {{ $runbooks }}#teachtrackreconcilestale
- name: teachtrack.mysql
  rules:
  - alert: TeachTrackPrimaryUnreachable
    expr: max by (namespace, name) (teachtrack_primary_reachable) == 0
    for: 1m
    labels: {severity: critical}
    annotations:
      summary: No API pod of TeachTrack {{ "{{ $labels.namespace }}/{{ $labels.name }}" }} reaches the MySQL primary.
      description: Writes answer 503 while reads go on from the replicas and the cache. With failover on, the operator promotes a replica; if this lasts, it could not.
      runbook_url: {{ $runbooks }}#teachtrackprimaryunreachable
  - alert: TeachTrackFailedOver
    expr: sum by (namespace, name) (increase(teachtrack_failovers_total[15m])) > 0
    labels: {severity: warning}
    annotations:
      summary: TeachTrack {{ "{{ $labels.namespace }}/{{ $labels.name }}" }} failed over to a new MySQL primary.
      description: The old primary was lost; status.mysql.lastFailover says from which pod to which and why.
      runbook_url: {{ $runbooks }}#teachtrackfailedover
  - alert: TeachTrackReplicaLagging
    expr: max by (namespace, name, pod) (teachtrack_mysql_replica_lag_seconds) > {{ $rules.replicaLagSeconds }}
    for: 5m
    labels: {severity: warning}
    annotations:
      summary: MySQL replica {{ "{{ $labels.pod }}" }} of TeachTrack {{ "{{ $labels.namespace }}/{{ $labels.name }}" }} is {{ "{{ $value }}" }} s behind.
      description: Past the TeachTrack's read budget it serves no reads; a failover will not pick it while it is behind.
      runbook_url: {{ $runbooks }}#teachtrackreplicalagging
  - alert: TeachTrackReplicaExcluded
    expr: max by (namespace, name, pod) (teachtrack_mysql_instance_role{role="none"}) == 1
    for: 10m
    labels: {severity: warning}
    annotations:
      summary: MySQL replica {{ "{{ $labels.pod }}" }} of TeachTrack {{ "{{ $labels.namespace }}/{{ $labels.name }}" }} has served no reads for 10 minutes.
      description: It is stopped, in error, out of reach, catching up or holding errant transactions (teachtrack_mysql_replica_state says which).
      runbook_url: {{ $runbooks }}#teachtrackreplicaexcluded
- name: teachtrack.api
  rules:
  - alert: TeachTrackApiErrors
    expr: |
      sum by (namespace, name) (rate(http_server_requests_seconds_count{component="api", status=~"5.."}[5m]))
        / sum by (namespace, name) (rate(http_server_requests_seconds_count{component="api"}[5m])) > {{ $rules.apiErrorRatio }}
    for: 5m
    labels: {severity: warning}
    annotations:
      summary: "{{ "{{ $value | humanizePercentage }}" }} of the answers of TeachTrack {{ "{{ $labels.namespace }}/{{ $labels.name }}" }}'s API are 5xx."
      description: A 503 with Retry-After means the primary is out of reach (writes) or nothing can serve a read; other 5xx are in the API pods' logs.
      runbook_url: {{ $runbooks }}#teachtrackapierrors
  - alert: TeachTrackCacheHitRatioLow
    expr: |
      sum by (namespace, name) (rate(teachtrack_cache_requests_total{result="hit"}[10m]))
        / sum by (namespace, name) (rate(teachtrack_cache_requests_total{result=~"hit|miss|error"}[10m])) < {{ $rules.cacheHitRatio }}
      and sum by (namespace, name) (rate(teachtrack_cache_requests_total{result=~"hit|miss|error"}[10m])) > 1
    for: 15m
    labels: {severity: warning}
    annotations:
      summary: Only {{ "{{ $value | humanizePercentage }}" }} of TeachTrack {{ "{{ $labels.namespace }}/{{ $labels.name }}" }}'s cache lookups hit.
      description: The databases carry the reads the cache should. result="error" lookups mean Redis did not answer.
      runbook_url: {{ $runbooks }}#teachtrackcachehitratiolow
  - alert: TeachTrackJobQueueGrowing
    expr: |
      max by (namespace, name) (teachtrack_jobs_queue_depth) > {{ $rules.jobQueueDepth }}
      and max by (namespace, name) (deriv(teachtrack_jobs_queue_depth[15m])) > 0
    for: 15m
    labels: {severity: warning}
    annotations:
      summary: "{{ "{{ $value }}" }} report jobs are queued for TeachTrack {{ "{{ $labels.namespace }}/{{ $labels.name }}" }} and the queue keeps growing."
      description: The workers do not keep up; their autoscaler may be at its maximum.
      runbook_url: {{ $runbooks }}#teachtrackjobqueuegrowing
{{- end -}}
