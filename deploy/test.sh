#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, starts throwaway servers on
# loopback (state under .local/test-servers), builds, runs every test, stops the servers.
#
#   bash deploy/test.sh                 # everything
#   bash deploy/test.sh --filter Redis  # extra arguments go to `swift test` (and skip the other parts)
#   STARSTREAM_MULTI_HOST=1 bash deploy/test.sh --filter MultiHostTests   # the across-hosts test alone
#
# The parts, in order (STARSTREAM_TEST_PARTS="swift deploy-files" runs some; the Jenkinsfile
# runs each as a stage of its own): swift (the Swift tests, then the across-hosts test),
# image (the runtime image's libraries and every service started in its file system),
# deploy-files (compose, Prometheus and Kubernetes files by their own validators, and broken
# copies refused), api (the gateway against its OpenAPI document). STARSTREAM_XUNIT_DIR=DIR writes
# the Swift tests' results there as JUnit XML.
set -euo pipefail
cd "$(dirname "$0")/.."
parts=" ${STARSTREAM_TEST_PARTS:-swift deploy-files image api} "
[ "$#" -eq 0 ] || parts=" swift "
part() { [[ "$parts" == *" $1 "* ]]; }
for name in $parts; do
  case "$name" in swift|deploy-files|image|api) ;; *) echo "test: unknown part '$name' in STARSTREAM_TEST_PARTS (swift, deploy-files, image, api)" >&2; exit 2 ;; esac
done

bash deploy/install.sh
export STARSTREAM_SERVERS_DIR="$PWD/.local/test-servers"
# On the way out, also stop any service or tool a crashed test run left behind.
trap 'pkill -KILL -f "^$PWD/.build/" 2>/dev/null || true; bash deploy/servers.sh stop' EXIT
if part swift || part image; then
  # With an MLflow tracking server too (MLFLOW_TEST_URI) for the Swift tests (the trainer's export).
  mlflow=0 needed=(REDIS_URL DATABASE_URL MONGO_URI)
  if part swift; then mlflow=1 needed+=(MLFLOW_TEST_URI); fi
  while IFS= read -r line; do export "$line"; done < <(STARSTREAM_WITH_MLFLOW=$mlflow bash deploy/servers.sh start)
  for variable in "${needed[@]}"; do
    [ -n "${!variable:-}" ] || { echo "test: deploy/servers.sh start did not provide $variable (see its messages above)" >&2; exit 1; }
  done

  echo "test: building (first build takes several minutes)"
  swift build --build-tests
fi
if part swift; then
  echo "test: running against $REDIS_URL, $DATABASE_URL, $MONGO_URI, MLflow at $MLFLOW_TEST_URI"
  xunit=() xunit_hosts=()
  if [ -n "${STARSTREAM_XUNIT_DIR:-}" ]; then
    mkdir -p "$STARSTREAM_XUNIT_DIR"
    xunit=(--xunit-output "$STARSTREAM_XUNIT_DIR/tests.xml")
    xunit_hosts=(--xunit-output "$STARSTREAM_XUNIT_DIR/multi-host.xml")
  fi
  # The multi-host test starts a dozen processes and loads both cores for about two minutes:
  # alone, after the others (whose timeouts it would otherwise strain).
  swift test --skip-build --skip MultiHostTests "${xunit[@]}" "$@"
  if [ "$#" -eq 0 ]; then
    echo "test: across hosts (network namespaces), alone"
    STARSTREAM_MULTI_HOST=1 swift test --skip-build --filter MultiHostTests "${xunit_hosts[@]}"
  fi
fi

# The runtime image, without a Docker engine: every binary's libraries against the image's
# packages (and a list lacking one must fail), then every service started in its file system.
if part image; then
  echo "test: the runtime image's libraries"
  bash deploy/check-image.sh
  broken=$(mktemp)
  grep -vx libcfitsio10 deploy/docker/runtime-packages.txt >"$broken"
  if bash deploy/check-image.sh --packages "$broken" >"$broken.out" 2>&1 || ! grep -q "needs package libcfitsio10" "$broken.out"; then
    echo "test: check-image.sh did not reject a package list without libcfitsio10 for lacking it:" >&2
    tail -5 "$broken.out" >&2
    exit 1
  fi
  echo "test: check-image.sh rejects a package list without libcfitsio10, as it should"
  bash deploy/image-test.sh
fi

if part deploy-files; then
  # The compose file, by docker-compose's own parser: valid with the example secrets, and
  # refused without one of them (no secret has a default written in it).
  echo "test: docker-compose.yml (docker-compose config)"
  docker-compose --env-file .env.example -f docker-compose.yml config -q
  missing=$(mktemp)
  grep -v '^REDIS_PASSWORD=' .env.example >"$missing"
  if env -u REDIS_PASSWORD docker-compose --env-file "$missing" -f docker-compose.yml config -q >"$missing.out" 2>&1 \
    || ! grep -q "set REDIS_PASSWORD in .env" "$missing.out"; then
    echo "test: docker-compose config accepted a .env without REDIS_PASSWORD:" >&2
    tail -3 "$missing.out" >&2
    exit 1
  fi
  echo "test: docker-compose.yml is valid, and refuses to start without its secrets"
  # And a broken copy of the file itself (a service's ports given as a number, not a list) is refused.
  broken_compose=$(mktemp --suffix=.yml)
  sed 's/^    ports: \["8080:8080"\]$/    ports: 8080/' docker-compose.yml >"$broken_compose"
  if cmp -s docker-compose.yml "$broken_compose" \
    || docker-compose --env-file .env.example -f "$broken_compose" config -q >"$broken_compose.out" 2>&1; then
    echo "test: docker-compose config accepted a compose file whose gateway ports are not a list" >&2
    exit 1
  fi
  echo "test: docker-compose config refuses a broken copy of docker-compose.yml, as it should"
  # Prometheus' own checker on its configuration and alert rules, and the rules' unit tests
  # (each alert fires on the series that should raise it, and only on those).
  echo "test: the Prometheus configuration and alerts (promtool)"
  .local/tools/bin/promtool check config deploy/monitoring/prometheus.yml
  broken_prometheus=$(mktemp -d)
  cp deploy/monitoring/alerts.yml "$broken_prometheus/"
  sed 's/scrape_interval: \(.*\)/scrape_interval: often/' deploy/monitoring/prometheus.yml >"$broken_prometheus/prometheus.yml"
  if cmp -s deploy/monitoring/prometheus.yml "$broken_prometheus/prometheus.yml" \
    || .local/tools/bin/promtool check config "$broken_prometheus/prometheus.yml" >/dev/null 2>&1; then
    echo "test: promtool accepted a Prometheus configuration with a scrape interval that is no duration" >&2
    exit 1
  fi
  echo "test: promtool refuses a broken copy of prometheus.yml, as it should"
  .local/tools/bin/promtool test rules deploy/monitoring/alerts.test.yml
  # And a broken copy of the rules (a PromQL expression cut short) is refused.
  broken_rules=$(mktemp --suffix=.yml)
  sed 's/> 0$/> (0/' deploy/monitoring/alerts.yml >"$broken_rules"
  if .local/tools/bin/promtool check rules "$broken_rules" >/dev/null 2>&1; then
    echo "test: promtool accepted alert rules with a broken expression" >&2
    exit 1
  fi
  echo "test: promtool refuses a broken copy of the alert rules, as it should"

  # The Kubernetes manifests against the Kubernetes and KEDA schemas; and copies broken in
  # either part (a port that is not a number; a scaler with a misspelt field) are refused.
  echo "test: the Kubernetes manifests (kustomize, kubernetes-validate, KEDA's CRD schema)"
  bash deploy/validate-k8s.sh
  broken_k8s=$(mktemp -d)
  for breakage in 's/containerPort: 8090/containerPort: "http"/|deploy/k8s/base/cataloger.yaml|is not of type .integer.' \
                  's/authenticationRef: {name:/authenticationRef: {nmae:/|deploy/k8s/base/trainer.yaml|authenticationRef: {.nmae.: '; do
    IFS='|' read -r edit file expected <<<"$breakage"
    rm -rf "$broken_k8s/k8s" && cp -r deploy/k8s "$broken_k8s/k8s"
    sed -i "$edit" "$broken_k8s/k8s/${file#deploy/k8s/}"
    if bash deploy/validate-k8s.sh "$broken_k8s/k8s/base" >"$broken_k8s/out" 2>&1 || ! grep -q "$expected" "$broken_k8s/out"; then
      echo "test: validate-k8s.sh did not refuse $file broken by '$edit':" >&2
      tail -5 "$broken_k8s/out" >&2
      exit 1
    fi
    echo "test: validate-k8s.sh refuses $file broken by '$edit', as it should"
  done
fi

if part api; then
  # The gateway against its OpenAPI document, with the demo's services and results behind it;
  # the demo runs in a folder of its own, with servers of its own, so neither the test servers
  # nor a demo the developer left running are touched.
  echo "test: the gateway's API against /openapi.json (schemathesis)"
  env -u REDIS_URL -u DATABASE_URL -u MONGO_URI STARSTREAM_SERVERS_DIR="$PWD/.local/conformance/servers" \
    STARSTREAM_DEMO_STATE="$PWD/.local/conformance" bash deploy/api-conformance.sh
fi
