# TeachTrack: the commands a newcomer uses. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

SCRIPTS    := operator/scripts
KUBECONFIG_LOCAL := $(CURDIR)/target/cluster/kubeconfig
CRD_FILE   := teachtracks.teachtrack.io-v1.yml

# The project targets Java 21: use $JAVA_HOME when it is 21 or newer, otherwise the first such JDK
# under /usr/lib/jvm (the machine's default java is 17).
JDK := $(shell for d in "$${JAVA_HOME:-}" /usr/lib/jvm/*; do \
	  [ -n "$$d" ] && [ -x "$$d/bin/java" ] || continue; \
	  v=$$("$$d/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $$2}'); \
	  [ "$${v%%.*}" -ge 21 ] 2>/dev/null && { echo "$$d"; break; }; done)
export JAVA_HOME := $(JDK)
MVN := ./mvnw -B -ntp

.PHONY: help
help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

.PHONY: jdk
jdk:
	@[ -n "$(JDK)" ] || { echo "[make] ERROR: no JDK 21 or newer found (set JAVA_HOME)"; exit 1; }
	@echo "[make] using JDK $(JDK)"

.PHONY: deps
deps: jdk ## Install missing system packages (image tools, containerd, runc, CNI plugins, nftables, redis-server, lua5.1, curl, jq)
	@echo "[make] checking system packages"
	@$(SCRIPTS)/system-packages.sh

.PHONY: binaries
binaries: ## Build (once) the Kubernetes binaries (control plane and node) into ~/.cache/teachtrack
	@echo "[make] Kubernetes binaries: control plane, then the node (kubelet, kube-proxy, CoreDNS, metrics-server)"
	@$(SCRIPTS)/k8s-binaries.sh >/dev/null
	@$(SCRIPTS)/k8s-binaries.sh node >/dev/null

.PHONY: base-images
base-images: deps ## Build (once) the Debian base images: the database servers the unit tests start come from them
	@echo "[make] base images: java-runtime, mariadb, mysql, redis (rebuilt only when their recipe changed)"
	@$(SCRIPTS)/images.sh base

.PHONY: images
images: deps build ## Build every container image (Debian base images, API, operator) as OCI archives in ~/.cache/teachtrack/images
	@echo "[make] container images (no Docker daemon, no registry): base images from Debian packages, then the API and the operator"
	@$(SCRIPTS)/images.sh all
	@$(SCRIPTS)/images.sh list

.PHONY: images-push
images-push: ## Push the built images to your registry: make images-push REGISTRY=registry.example.com/platform
	@[ -n "$(REGISTRY)" ] || { echo "[make] usage: make images-push REGISTRY=registry.example.com/platform"; exit 1; }
	@$(SCRIPTS)/images.sh push "$(REGISTRY)"

.PHONY: cluster
cluster: deps binaries ## Start the local Kubernetes cluster (control plane and one real node); imports changed images; no-op when running
	@echo "[make] starting the local cluster (control plane and one real node)"
	@$(SCRIPTS)/cluster.sh up >/dev/null
	@echo "[make] kubeconfig: $(KUBECONFIG_LOCAL)"
	@echo "[make]   export KUBECONFIG=$(KUBECONFIG_LOCAL)"

.PHONY: cluster-down
cluster-down: ## Stop and delete the local cluster, leaving nothing behind
	@echo "[make] stopping the local cluster"
	@$(SCRIPTS)/cluster.sh down
	@$(SCRIPTS)/kwok-cluster.sh down

.PHONY: crds
crds: jdk ## Regenerate crds/ from the Java classes
	@echo "[make] generating the CRD from operator/src/main/java/.../api/v1alpha1"
	@$(MVN) -q -pl operator -am process-classes
	@cp operator/target/generated-crds/$(CRD_FILE) crds/$(CRD_FILE)
	@cp operator/target/generated-crds/$(CRD_FILE) helm/teachtrack-operator/files/crds/$(CRD_FILE)
	@echo "[make] wrote crds/$(CRD_FILE) and helm/teachtrack-operator/files/crds/$(CRD_FILE)"

.PHONY: crd-docs
crd-docs: jdk ## Regenerate docs/crd-reference.md from crds/ (every field, type, default, rule and description)
	@echo "[make] writing docs/crd-reference.md from crds/$(CRD_FILE)"
	@$(MVN) -q -pl testkit,operator test -Dtest=CrdReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dteachtrack.write-docs=true

.PHONY: k8s-definitions
k8s-definitions: ## Refresh operator/src/crd/kubernetes-definitions.json (descriptions of the Kubernetes types the CRD embeds)
	@$(SCRIPTS)/k8s-definitions.sh

.PHONY: chart-docs
chart-docs: ## Regenerate the chart's README from README.md.gotmpl and the comments in values.yaml (helm-docs)
	@echo "[make] helm-docs: helm/teachtrack-operator/README.md"
	@BIN="$$($(SCRIPTS)/k8s-binaries.sh node | tail -n 1)"; "$$BIN/helm-docs" --chart-search-root helm --sort-values-order file --log-level warning

.PHONY: build
build: jdk ## Compile and package everything without running tests
	@echo "[make] building"
	@$(MVN) package -DskipTests

.PHONY: test
test: deps binaries base-images ## Run every test tier (installs and builds what is missing first)
	@echo "[make] running unit, API-server and cluster tests (the images and the local cluster come before the cluster tests)"
	@$(MVN) verify || { $(SCRIPTS)/keep-test-evidence.sh; exit 1; }
	@echo "[make] all tests passed"

LOOPS ?= 8
.PHONY: test-under-load
test-under-load: ## make test beside LOOPS (8) CPU-bound loops: no test may depend on the machine's speed
	@$(SCRIPTS)/under-load.sh $(LOOPS) $(MAKE) --no-print-directory test

.PHONY: demo
demo: deps images binaries ## The whole platform on the local cluster: build, run the operator, apply a sample, call the API
	@$(SCRIPTS)/demo.sh up

.PHONY: demo-down
demo-down: ## Stop everything make demo started
	@$(SCRIPTS)/demo.sh down

# The load generator's JVM: G1 paused it for up to 527 ms (measured with JFR), and every request scheduled meanwhile
# counted the pause as latency; ZGC's pauses stay under a millisecond. A fixed, pre-touched heap grows nothing mid-run.
BENCH_GENERATOR_JVM := -XX:+UseZGC -Xms2g -Xmx2g -XX:+AlwaysPreTouch

.PHONY: bench
bench: deps images cluster ## Run the benchmarks (not part of make test); tables in app-image/target/bench/results.md
	@echo "[make] benchmarks B0-B3: the API on MySQL 9.7 + Redis (about 25 minutes)"
	@$(MVN) -pl app-image verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test=PlatformBench -Dfailsafe.failIfNoSpecifiedTests=false "-DargLine=$(BENCH_GENERATOR_JVM)"
	@echo "[make] benchmark B4: the operator on the local cluster"
	@$(MVN) -pl operator verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test=OperatorBench -Dfailsafe.failIfNoSpecifiedTests=false -Dteachtrack-test.skip-cluster=true
	@echo "[make] benchmark B5: writes through faults of the primary on the real node, both engines (about 45 minutes)"
	@$(MVN) -pl operator verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test=FailoverBench -Dfailsafe.failIfNoSpecifiedTests=false -Dteachtrack-test.keep-cluster=true
	@echo "[make] results: app-image/target/bench/results.md"

.PHONY: run
run: jdk ## Run the operator locally against KUBECONFIG (default: the local cluster)
	@$(eval KCFG := $(or $(KUBECONFIG),$(KUBECONFIG_LOCAL)))
	@[ -f "$(firstword $(subst :, ,$(KCFG)))" ] || { echo "[make] no kubeconfig at $(KCFG): run 'make cluster' first"; exit 1; }
	@echo "[make] building the operator"
	@$(MVN) -q -pl operator -am package -DskipTests
	@echo "[make] installing the CRD into the cluster of $(KCFG)"
	@KUBECONFIG="$(KCFG)" kubectl apply --server-side --force-conflicts --field-manager=teachtrack-crds -f crds/
	@echo "[make] running the operator against $(KCFG) (Ctrl-C stops it); it reaches MySQL at the pods' IPs"
	@# A process outside the cluster cannot resolve cluster DNS names: pod-ip mode, unless set otherwise.
	@KUBECONFIG="$(KCFG)" TEACHTRACK_MYSQL_ADDRESS_MODE="$${TEACHTRACK_MYSQL_ADDRESS_MODE:-pod-ip}" \
	  "$(JDK)/bin/java" -jar operator/target/quarkus-app/quarkus-run.jar
