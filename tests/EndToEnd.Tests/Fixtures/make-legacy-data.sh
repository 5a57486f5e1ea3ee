#!/usr/bin/env bash
# Makes legacy-data.tar.gz: the data dir of a registry of the previous storage format (one serialized state per
# repository), for UpgradeFromLegacyDataTests. Run once with that release's server; kept, not rebuilt by the tests.
#   make-legacy-data.sh PATH/TO/Nscr.Gateway.dll
# Pushes with curl: 3 repositories, images of config + 2 layers, a second tag on one image, an untagged manifest,
# an image index with two children, and a referrer (subject); pulls one (pull times). expected.json lists it all.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dll=$1
work=$(mktemp -d)
data=$work/data
port=$(( 20000 + RANDOM % 20000 ))
NSCR_PORT=$port NSCR_DATA_DIR=$data NSCR_LISTEN_ADDRESS=127.0.0.1 dotnet "$dll" > "$work/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
url=http://127.0.0.1:$port
for _ in $(seq 1 100); do curl -sf "$url/v2/" >/dev/null && break; sleep 0.2; done

blob() { # repo file -> digest
  local digest="sha256:$(sha256sum "$2" | cut -d' ' -f1)"
  curl -sf -X POST -o /dev/null "$url/v2/$1/blobs/uploads/?digest=$digest" --data-binary @"$2" -H 'Content-Type: application/octet-stream'
  echo "$digest"
}
manifest() { # repo reference file mediatype -> digest
  curl -sf -X PUT -o /dev/null "$url/v2/$1/manifests/$2" -H "Content-Type: $4" --data-binary @"$3"
  echo "sha256:$(sha256sum "$3" | cut -d' ' -f1)"
}
image() { # repo tag seed -> writes $work/m-<seed>.json, echoes digest
  local repo=$1 tag=$2 seed=$3
  local config=$work/c-$seed layer1=$work/l1-$seed layer2=$work/l2-$seed
  printf '{"architecture":"amd64","os":"linux","seed":"%s"}' "$seed" > "$config"
  head -c 2048 /dev/urandom > "$layer1"; head -c 3000 /dev/urandom > "$layer2"
  local c l1 l2
  c=$(blob "$repo" "$config"); l1=$(blob "$repo" "$layer1"); l2=$(blob "$repo" "$layer2")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":2048},{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":3000}]}' \
    "$c" "$(stat -c %s "$config")" "$l1" "$l2" > "$work/m-$seed.json"
  manifest "$repo" "$tag" "$work/m-$seed.json" application/vnd.oci.image.manifest.v1+json
}

a1=$(image legacy/app v1 a1); a2=$(image legacy/app v2 a2)
curl -sf -X PUT -o /dev/null "$url/v2/legacy/app/manifests/stable" -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @"$work/m-a2.json"
b1=$(image legacy/tools latest b1)
amd=$(image legacy/multi amd64-only m1); arm=$(image legacy/multi arm64-only m2)
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%d,"platform":{"architecture":"amd64","os":"linux"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%d,"platform":{"architecture":"arm64","os":"linux"}}]}' \
  "$amd" "$(stat -c %s "$work/m-m1.json")" "$arm" "$(stat -c %s "$work/m-m2.json")" > "$work/index.json"
index=$(manifest legacy/multi latest "$work/index.json" application/vnd.oci.image.index.v1+json)
printf '{}' > "$work/empty"; empty=$(blob legacy/app "$work/empty")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.example.sbom","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"%s","size":2},"layers":[{"mediaType":"application/vnd.oci.empty.v1+json","digest":"%s","size":2}],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%d},"annotations":{"org.example":"sbom"}}' \
  "$empty" "$empty" "$a1" "$(stat -c %s "$work/m-a1.json")" > "$work/referrer.json"
referrer=$(manifest legacy/app "sha256:$(sha256sum "$work/referrer.json" | cut -d' ' -f1)" "$work/referrer.json" application/vnd.oci.image.manifest.v1+json)
curl -sf -o /dev/null "$url/v2/legacy/app/manifests/v1" -H 'Accept: application/vnd.oci.image.manifest.v1+json'

cat > "$here/legacy-data.expected.json" <<JSON
{
  "catalog": ["legacy/app", "legacy/multi", "legacy/tools"],
  "tags": {"legacy/app": ["stable", "v1", "v2"], "legacy/multi": ["amd64-only", "arm64-only", "latest"], "legacy/tools": ["latest"]},
  "manifests": {
    "legacy/app": ["$a1", "$a2", "$referrer"],
    "legacy/multi": ["$index", "$amd", "$arm"],
    "legacy/tools": ["$b1"]
  },
  "referrers": {"legacy/app@$a1": ["$referrer"]}
}
JSON
kill -TERM $pid; wait $pid || true
tar -C "$data" -czf "$here/legacy-data.tar.gz" .
echo "wrote $here/legacy-data.tar.gz ($(stat -c %s "$here/legacy-data.tar.gz") bytes)"
