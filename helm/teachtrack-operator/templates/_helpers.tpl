{{/* The name of everything the chart creates, at most 63 characters: fullnameOverride, or the release's name
     followed by the chart's (or nameOverride) unless the release's name holds it already. */}}
{{- define "teachtrack-operator.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Pods of the operator carry app.kubernetes.io/name=teachtrack-operator whatever nameOverride says: TeachTrack
     NetworkPolicies admit them by it. */}}
{{- define "teachtrack-operator.selectorLabels" -}}
app.kubernetes.io/name: teachtrack-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "teachtrack-operator.labels" -}}
{{ include "teachtrack-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: teachtrack
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "teachtrack-operator.serviceAccountName" -}}
{{- default (include "teachtrack-operator.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* Leader election: on with more than one replica, or when asked for. */}}
{{- define "teachtrack-operator.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicaCount) 1) -}}true{{- else -}}false{{- end -}}
{{- end -}}
