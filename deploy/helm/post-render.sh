#!/bin/sh
# Helm post-renderer: puts frr-reload-agent into frr-k8s installed with its
# Helm chart (charts/frr-k8s, alone or as the subchart of MetalLB's chart in
# its default FRR-K8s mode), or into MetalLB's speaker installed with its
# chart in FRR mode (charts/metallb, speaker.frr.enabled=true,
# frrk8s.enabled=false: component metallb-agent). Helm's
# manifests on standard input; on standard output the same, rendered by
# `kubectl kustomize` with the component from ../components/ (which selects
# the DaemonSet by its labels: Helm names it after the release) and
# --shutdown-grace 0, since both charts give the pod a
# terminationGracePeriodSeconds of 0: the agent is SIGKILLed at once, and
# a reload cut short is re-applied at the next start from the desired
# configuration, which is saved before it is applied.
#
#   Helm 3: helm upgrade --install frr-k8s frr-k8s/frr-k8s -n frr-k8s-system \
#               --post-renderer ./deploy/helm/post-render.sh
#   Helm 4: helm plugin install ./deploy/helm      (a postrenderer/v1 plugin)
#           helm upgrade --install ... --post-renderer frr-reload-agent
#
# The component: the first argument (Helm 3: --post-renderer-args) or
# FRR_RELOAD_AGENT_COMPONENT: frr-k8s-agent (the default) or metallb-agent.
# The agent's image: FRR_RELOAD_AGENT_IMAGE, e.g.
# registry.example.com/frr-reload-agent:0.1.0 or ...@sha256:<digest>.
#
# Needs kubectl 1.21 or later (kustomize Components). Keep this directory
# beside ../components (a clone of the repository at a release tag).
set -eu

component=${1:-${FRR_RELOAD_AGENT_COMPONENT:-frr-k8s-agent}}
case $component in
frr-k8s-agent)
    selector=app.kubernetes.io/name=frr-k8s,app.kubernetes.io/component=frr-k8s ;;
metallb-agent)
    selector=app.kubernetes.io/name=metallb,app.kubernetes.io/component=speaker ;;
*)
    echo "post-render.sh: unknown component $component (frr-k8s-agent or metallb-agent)" >&2
    exit 2 ;;
esac
here=$(cd -P "$(dirname "$0")" && pwd)
image=${FRR_RELOAD_AGENT_IMAGE:-}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/helm.yaml"
# kustomize loads components by relative path only: a copy beside.
cp -R "$here/../components/$component" "$work/component"

images=
if [ -n "$image" ]; then
    case $image in
    *@*) pin="    digest: ${image#*@}"; name=${image%%@*} ;;
    *)
        case ${image##*/} in
        *:*) pin="    newTag: ${image##*:}"; name=${image%:*} ;;
        *) pin=; name=$image ;;
        esac ;;
    esac
    images="images:
  - name: frr-reload-agent
    newName: $name
$pin"
fi

cat >"$work/kustomization.yaml" <<KUSTOMIZATION
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - helm.yaml
components:
  - component
patches:
  - target:
      group: apps
      version: v1
      kind: DaemonSet
      labelSelector: $selector
    patch: |-
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: any
      spec:
        template:
          spec:
            containers:
              - name: reloader
                env:
                  - name: FRR_RELOAD_AGENT_SHUTDOWN_GRACE
                    value: "0"
$images
KUSTOMIZATION

kubectl kustomize "$work"
