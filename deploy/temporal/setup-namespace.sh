#!/bin/sh
# The namespace storeops runs in, with a retention, and the search attributes its workflows set
# (Keyword each). Compose starts this once the server is healthy; every step tolerates a rerun.
set -eu
: "${TEMPORAL_ADDRESS:?}" "${TEMPORAL_NAMESPACE:?}" "${TEMPORAL_RETENTION:?}"
export TEMPORAL_ADDRESS

# The frontend's port opens before the cluster answers; the health call is the real gate.
tries=0
until temporal operator cluster health >/dev/null 2>&1; do
  tries=$((tries + 1))
  [ "$tries" -lt 30 ] || { echo "Temporal at $TEMPORAL_ADDRESS is not healthy" >&2; exit 1; }
  sleep 2
done

if temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  temporal operator namespace update --namespace "$TEMPORAL_NAMESPACE" --retention "$TEMPORAL_RETENTION"
  echo "namespace $TEMPORAL_NAMESPACE: retention set to $TEMPORAL_RETENTION"
else
  temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$TEMPORAL_RETENTION"
  echo "namespace $TEMPORAL_NAMESPACE created, retention $TEMPORAL_RETENTION"
fi

for attribute in ${TEMPORAL_SEARCH_ATTRIBUTES:-}; do
  if temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" | grep -qw "$attribute"; then
    echo "search attribute $attribute exists"
  else
    temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" --name "$attribute" --type Keyword
  fi
done
