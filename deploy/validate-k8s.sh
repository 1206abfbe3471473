#!/usr/bin/env bash
# The Kubernetes manifests, checked without a cluster: each kustomization is rendered by
# kustomize (Debian's kubectl, unpacked into .local/tools), every object is validated against
# the Kubernetes schemas (kubernetes-validate, strict: unknown fields are errors) and every
# KEDA object against KEDA's CRD schema, with the scalers' references checked
# (Tools/k8s-validate/validate_keda.py). Both tools are pinned in
# Tools/k8s-validate/requirements.txt and installed into .local/k8s-venv.
#
#   bash deploy/validate-k8s.sh                         # deploy/k8s/base and every overlay
#   bash deploy/validate-k8s.sh path/to/kustomization   # those folders only
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

kubectl=.local/tools/bin/kubectl
if [ ! -x "$kubectl" ]; then
  echo "validate-k8s: kubectl (from Debian's kubernetes-client, for kustomize) into .local/tools"
  sudo=$([ "$(id -u)" -eq 0 ] || echo sudo)
  mkdir -p .local/tools/bin .local/tools/deb
  (cd .local/tools/deb && { apt-get download kubernetes-client >/dev/null 2>&1 || { ${sudo:-} apt-get update -qq && apt-get download kubernetes-client >/dev/null; }; })
  dpkg-deb -x .local/tools/deb/kubernetes-client_*.deb .local/tools/root
  ln -sf ../root/usr/bin/kubectl "$kubectl"
  rm -rf .local/tools/deb
fi
venv=.local/k8s-venv
if ! "$venv/bin/kubernetes-validate" --version >/dev/null 2>&1 || ! cmp -s Tools/k8s-validate/requirements.txt "$venv/requirements.txt"; then
  echo "validate-k8s: kubernetes-validate and KEDA's schema into $venv (Tools/k8s-validate/requirements.txt)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r Tools/k8s-validate/requirements.txt
  cp Tools/k8s-validate/requirements.txt "$venv/requirements.txt"
fi

if [ "$#" -eq 0 ]; then
  set -- deploy/k8s/base deploy/k8s/overlays/*/
fi
rendered=$(mktemp -d)
trap 'rm -rf "$rendered"' EXIT
for folder in "$@"; do
  folder=${folder%/}
  out="$rendered/$(echo "$folder" | tr / _).yaml"
  "$kubectl" kustomize "$folder" >"$out"
  objects=$(grep -c '^kind:' "$out" || true)
  echo "validate-k8s: $folder renders $objects objects"
  # kubernetes-validate only warns about kinds it has no schema for; the KEDA check below
  # fails on any such kind that is not KEDA's, so nothing passes unchecked.
  "$venv/bin/kubernetes-validate" --strict --quiet --no-warn "$out"
  unknown=$("$venv/bin/kubernetes-validate" --strict "$out" 2>&1 | grep "Couldn't find schema" | grep -v "api version keda.sh/" || true)
  if [ -n "$unknown" ]; then
    echo "validate-k8s: $folder has objects no schema checks:" >&2
    echo "$unknown" >&2
    exit 1
  fi
  "$venv/bin/python" "$root/Tools/k8s-validate/validate_keda.py" "$out" deploy/k8s/secrets.example.env
done
echo "validate-k8s: every manifest matches the Kubernetes $("$venv/bin/kubernetes-validate" --version | awk '{print $NF}') and KEDA schemas"
