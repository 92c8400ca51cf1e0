#!/bin/sh
# The namespace storeops runs in, with a retention, and the search attributes its workflows set
# (Keyword each). Compose starts this once the server is healthy; every step tolerates a rerun.
set -eu
: "${TEMPORAL_ADDRESS:?}" "${TEMPORAL_NAMESPACE:?}" "${TEMPORAL_RETENTION:?}"
export TEMPORAL_ADDRESS

# Retries a command every 2 s, for a minute at most, quietly; then fails with the message.
retry() {
  message=$1
  shift
  tries=0
  until "$@" >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ "$tries" -lt 30 ] || { echo "$message" >&2; exit 1; }
    sleep 2
  done
}

# The frontend's port opens before the cluster answers; the health call is the real gate.
retry "Temporal at $TEMPORAL_ADDRESS is not healthy" temporal operator cluster health

if temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  temporal operator namespace update --namespace "$TEMPORAL_NAMESPACE" --retention "$TEMPORAL_RETENTION"
  echo "namespace $TEMPORAL_NAMESPACE: retention set to $TEMPORAL_RETENTION"
else
  temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$TEMPORAL_RETENTION"
  echo "namespace $TEMPORAL_NAMESPACE created, retention $TEMPORAL_RETENTION"
fi

# A new namespace reaches the frontend's namespace cache a few seconds after it is created; until
# then search-attribute calls answer "namespace not found".
retry "namespace $TEMPORAL_NAMESPACE not served yet" \
  temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE"

for attribute in ${TEMPORAL_SEARCH_ATTRIBUTES:-}; do
  if temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" | grep -qw "$attribute"; then
    echo "search attribute $attribute exists"
  else
    temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" --name "$attribute" --type Keyword
  fi
done
