#!/usr/bin/env bash
# A Windows chatport-cli and a Linux chatport-cli chat with each other over loopback: the
# Windows one under Wine, as host and then as joiner. The joiner's side finds the host's room
# on the network first (`discover`); text with Chinese and emoji must arrive byte for byte both
# ways, and each side must see the other in its client list. Then each sends the other a file
# with a Chinese name (/send; the other accepts every offer: --accept-files), which must arrive
# byte for byte with the same SHA-256 on both sides.
#
#   wine_interop.sh LINUX_CLI WINDOWS_CLI WINE_RUN
set -euo pipefail

linux_cli=$1
windows_cli=$2
wine_run=$3
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# wait_for FILE TEXT SECONDS: until FILE contains TEXT, or fail with what it does contain.
wait_for() {
  local deadline=$((SECONDS + $3))
  until grep -qF -- "$2" "$1" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      echo "FAIL: no '$2' in $(basename "$1") within $3 s; it holds:" >&2
      cat "$1" >&2 || true
      return 1
    fi
    sleep 0.1
  done
}

# native KIND PATH: PATH as the chatport-cli of KIND (linux or windows) names it. Wine's drive
# Z: is the Linux file system's root.
native() {
  if [[ $1 == windows ]]; then
    local p=${2//\//\\}
    printf 'Z:%s' "$p"
  else
    printf '%s' "$2"
  fi
}

# send_file NTH FROM_FD FROM_KIND FROM_OUT TO_OUT TO_INBOX FILE: FROM offers FILE to the room
# (its Nth offer in this run), the other side's --accept-files takes it; both must say it
# arrived, with the same hash.
send_file() {
  local nth=$1 fd=$2 kind=$3 from_out=$4 to_out=$5 inbox=$6 file=$7
  head -c 3000017 /dev/urandom >"$file"
  echo "/send $(native "$kind" "$file")" >&"$fd"
  # The room numbers its offers from a random start: this one's number, from the sender's side.
  local deadline=$((SECONDS + 60)) n=
  until n=$(grep '"event":"file_offer"' "$from_out" 2>/dev/null | grep '"outgoing":true' | sed -n "${nth}p" |
            grep -o '"transfer":[0-9]*' | cut -d: -f2) && [[ -n $n ]]; do
    if ((SECONDS >= deadline)); then
      echo "FAIL: $(basename "$from_out") did not offer $(basename "$file")" >&2
      cat "$from_out" >&2
      return 1
    fi
    sleep 0.1
  done
  local received='"event":"file_done","transfer":'$n',"outgoing":false'
  local sent='"event":"file_done","transfer":'$n',"outgoing":true'
  wait_for "$to_out" "$received" 120
  wait_for "$from_out" "$sent" 30
  cmp "$file" "$inbox/$(basename "$file")"
  local hashes
  hashes=$(grep -hF -e "$received" -e "$sent" "$from_out" "$to_out" | grep -o '"hash":"[0-9a-f]\{64\}"' | sort -u)
  [[ $(wc -l <<<"$hashes") -eq 1 ]] || { echo "FAIL: the two sides' hashes differ: $hashes" >&2; return 1; }
  echo "file ok: $(basename "$file")"
}

# run_pair NAME HOST_KIND JOIN_KIND HOST_COMMAND... -- JOIN_COMMAND...
run_pair() {
  local name=$1 host_kind=$2 join_kind=$3
  shift 3
  local host=() join=()
  while [[ $1 != -- ]]; do host+=("$1"); shift; done
  shift
  join=("$@")
  local dir=$work/$name
  mkdir -p "$dir"
  mkfifo "$dir/host.in" "$dir/join.in"
  mkdir -p "$dir/host-inbox" "$dir/join-inbox" "$dir/outbox"

  # A discovery port of this run's own: no other room on the machine is heard.
  local discovery=$((20000 + RANDOM % 40000))
  # Each side keeps its key in a folder of this run's own, never the user's.
  timeout 180 "${host[@]}" host --bind 127.0.0.1 --port 0 --name ann --json --stay --data-dir "$dir/host-data" \
    --discovery-port "$discovery" --accept-files "$(native "$host_kind" "$dir/host-inbox")" \
    <"$dir/host.in" >"$dir/host.out" 2>"$dir/host.err" &
  local host_pid=$!
  pids+=("$host_pid")
  exec 7>"$dir/host.in"
  # Wine's first start in a fresh prefix can take a while.
  wait_for "$dir/host.out" '"event":"welcome"' 120
  local port
  port=$(grep -o '"port":[0-9]*' "$dir/host.out" | head -n 1 | cut -d: -f2)

  # The other side hears the room: its name and its port.
  timeout 180 "${join[@]}" discover --seconds 3 --json --discovery-port "$discovery" \
    >"$dir/discover.out" 2>"$dir/discover.err" </dev/null
  wait_for "$dir/discover.out" '"room":"ann","host":"ann"' 1
  wait_for "$dir/discover.out" "\"port\":$port," 1

  timeout 180 "${join[@]}" join "127.0.0.1:$port" --name ben --json --data-dir "$dir/join-data" \
    --accept-files "$(native "$join_kind" "$dir/join-inbox")" \
    <"$dir/join.in" >"$dir/join.out" 2>"$dir/join.err" &
  local join_pid=$!
  pids+=("$join_pid")
  exec 8>"$dir/join.in"
  wait_for "$dir/join.out" '"event":"welcome"' 120
  wait_for "$dir/join.out" '"name":"ann","host":true' 30
  wait_for "$dir/host.out" '"event":"joined","id":2,"name":"ben"' 30

  echo '你好，来自加入者 🎉 ok' >&8
  wait_for "$dir/host.out" '"from":"ben","id":2,"seq":1' 30
  wait_for "$dir/host.out" '"text":"你好，来自加入者 🎉 ok"' 30
  echo '主持人说：欢迎 👋 ok' >&7
  wait_for "$dir/join.out" '"text":"主持人说：欢迎 👋 ok"' 30

  send_file 1 8 "$join_kind" "$dir/join.out" "$dir/host.out" "$dir/host-inbox" "$dir/outbox/来自ben 的文件.bin"
  send_file 1 7 "$host_kind" "$dir/host.out" "$dir/join.out" "$dir/join-inbox" "$dir/outbox/ann 的照片.bin"

  echo /quit >&8
  exec 8>&-
  wait_for "$dir/host.out" '"event":"left","id":2,"name":"ben","reason":"quit"' 30
  wait "$join_pid"
  echo /quit >&7
  exec 7>&-
  wait "$host_pid"
  echo "ok: $name"
}

run_pair windows-host-linux-joiner windows linux "$wine_run" "$windows_cli" -- "$linux_cli"
run_pair linux-host-windows-joiner linux windows "$linux_cli" -- "$wine_run" "$windows_cli"
