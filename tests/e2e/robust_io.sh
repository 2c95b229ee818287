#!/usr/bin/env bash
# robust_io.sh — files, streams and signals handled like a careful Unix tool
# (docs/ROBUSTNESS.md, "Files, streams and signals"): outputs that are FIFOs,
# directories, device nodes or symlinks; outputs checked before any work; a
# command never writing over its own input; FIFOs and other non-regular files
# as inputs refused without blocking; small inputs that claim huge sizes;
# gzip trailing data; `| head -1`, SIGTERM and SIGHUP; stdout on /dev/full and
# closed fds 0-2; a CSV that fails while the checkpoint is saved; control
# characters from files escaped; error messages that name the real cause.
# Every FIFO, device node and symlink is made in a temporary directory.
# Prints one line per case. Env: RTVIZ, RTVIZ_ROOT. Exit 0 pass, else fail.
set -u
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
nfail=0 ncase=0
R=$RTVIZ
bad() { echo "FAIL $*"; nfail=$((nfail + 1)); }
okay() { echo "ok   $*"; }

# case NAME WANT_RC REGEX CMD...: run CMD (stdin /dev/null, at most 20 s: a
# hang fails), check rc, a one-line message matching REGEX, no sanitizer report
case_() {
  local name=$1 want=$2 re=$3
  shift 3
  ncase=$((ncase + 1))
  timeout 20 "$@" </dev/null >"$tmp/o" 2>"$tmp/e"
  local rc=$?
  local msg
  msg=$(grep -v '^epoch ' "$tmp/e" | tail -1)
  if grep -Eq 'runtime error:|Sanitizer' "$tmp/e"; then
    bad "$name: sanitizer report: $(head -5 "$tmp/e")"
  elif [ "$rc" = 124 ]; then
    bad "$name: hung (killed after 20 s)"
  elif [ "$rc" != "$want" ]; then
    bad "$name: exit $rc, expected $want; stderr: $(tail -3 "$tmp/e")"
  elif [ "$want" != 0 ] && ! grep -Eq -- "$re" "$tmp/e"; then
    bad "$name: stderr does not match /$re/: $(tail -3 "$tmp/e")"
  else
    okay "$name (exit $rc): $msg"
    return 0
  fi
  return 1
}
# no_training NAME: the last command printed no epoch and no training line
no_training() {
  if grep -q '^training\|^epoch' "$tmp/o" "$tmp/e" 2>/dev/null; then bad "$1: trained before failing"; fi
}
# peak resident memory (KB) of CMD...
peak_kb() { /usr/bin/time -f '%M' -o "$tmp/rss" "$@" </dev/null >/dev/null 2>"$tmp/e"; tail -1 "$tmp/rss"; }

net=(--dataset sample --layers 1 --blocks 2 --width 8 --epochs 1 --limit 20 --threads 1)
res=(--dataset sample --epochs 1 --limit 20 --threads 1) # resuming: no shape flags
"$R" train "${net[@]}" --save "$tmp/good.ckpt" >/dev/null 2>&1 || { echo "FAIL: cannot train a checkpoint"; exit 1; }
tempfiles() { ls -A "$1" | grep -Ec '^\..*\.rtviz-[0-9]+-' ; }

# --- 3. saving never replaces or follows what it should not ---------------------------
o=$tmp/out
mkdir "$o"
mkfifo "$o/fifo"
case_ save-fifo 1 "$o/fifo: is a FIFO, not a regular file; refusing" "$R" train "${net[@]}" --save "$o/fifo" && no_training save-fifo
[ -p "$o/fifo" ] || bad "save-fifo: the FIFO was replaced"
mkdir "$o/adir"
case_ save-directory 1 "$o/adir: is a directory" "$R" train "${net[@]}" --save "$o/adir" && no_training save-directory
case_ csv-fifo 1 "$o/fifo: is a FIFO" "$R" train "${net[@]}" --csv "$o/fifo" && no_training csv-fifo
case_ export-out-fifo 1 "$o/fifo: is a FIFO" "$R" export --model "$tmp/good.ckpt" --out "$o/fifo"
if mknod "$o/null" c 1 3 2>/dev/null; then
  case_ save-char-device 1 "$o/null: is a character device" "$R" train "${net[@]}" --save "$o/null" && no_training save-char-device
  [ -c "$o/null" ] || bad "save-char-device: the device node was replaced"
  case_ export-out-device 1 "$o/null: is a character device" "$R" export --model "$tmp/good.ckpt" --out "$o/null"
else
  echo "skip save-char-device: mknod is not permitted here"
fi
# a symlink is resolved: the file it points to is replaced, the link stays
mkdir "$o/runs"
cp "$tmp/good.ckpt" "$o/runs/7.ckpt"
chmod 600 "$o/runs/7.ckpt"
ln -s runs/7.ckpt "$o/latest.ckpt"
case_ save-through-symlink 0 . "$R" train "${res[@]}" --model "$o/latest.ckpt" --save "$o/latest.ckpt"
[ -L "$o/latest.ckpt" ] || bad "save-through-symlink: the link was replaced by a file"
cmp -s "$o/runs/7.ckpt" "$tmp/good.ckpt" && bad "save-through-symlink: the linked file was not updated"
[ "$(stat -c %a "$o/runs/7.ckpt")" = 600 ] || bad "save-through-symlink: a 0600 checkpoint became $(stat -c %a "$o/runs/7.ckpt")"
ln -s nowhere/x.ckpt "$o/dangling"
case_ save-dangling-symlink 1 "$o/dangling: dangling symlink" "$R" train "${net[@]}" --save "$o/dangling"
ln -s loop2 "$o/loop1"; ln -s loop1 "$o/loop2"
case_ save-symlink-loop 1 "$o/loop1: symlink loop" "$R" train "${net[@]}" --save "$o/loop1"
# every output path checked before the work: no training is lost to a bad path
case_ save-missing-dir 1 "$o/nodir/m.ckpt: directory $o/nodir does not exist" "$R" train "${net[@]}" --save "$o/nodir/m.ckpt" && no_training save-missing-dir
case_ export-missing-dir 1 "$o/nodir/m.st: directory $o/nodir does not exist" "$R" export --model "$tmp/good.ckpt" --out "$o/nodir/m.st"
long=$(printf 'n%.0s' $(seq 240))
case_ save-name-too-long 1 "file name too long" "$R" train "${net[@]}" --save "$o/$long" && no_training save-name-too-long
printf 'x' >"$o/plain"
case_ save-under-a-file 1 "$o/plain/m.ckpt: .*not a directory" "$R" train "${net[@]}" --save "$o/plain/m.ckpt"
if setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$R" 2>/dev/null; then
  mkdir "$o/ro"; chmod 755 "$o" "$tmp"; chmod 555 "$o/ro"
  case_ save-unwritable-dir 1 "$o/ro/m.ckpt: directory $o/ro is not writable" \
    setpriv --reuid=65534 --regid=65534 --clear-groups "$R" train "${net[@]}" --save "$o/ro/m.ckpt" && no_training save-unwritable-dir
else
  echo "skip save-unwritable-dir: cannot run as another user"
fi
# a command never destroys its own input
cp "$tmp/good.ckpt" "$o/in.ckpt"
case_ export-onto-model 2 "--out $o/in.ckpt: is the same file as --model" "$R" export --model "$o/in.ckpt" --out "$o/in.ckpt"
ln "$o/in.ckpt" "$o/hard.ckpt"
case_ export-onto-hardlink 2 "same file as --model" "$R" export --model "$o/in.ckpt" --out "$o/hard.ckpt"
case_ csv-onto-model 2 "--csv $o/in.ckpt: is the same file as --model" "$R" train "${res[@]}" --model "$o/in.ckpt" --csv "$o/in.ckpt"
cmp -s "$o/in.ckpt" "$tmp/good.ckpt" || bad "csv-onto-model: the input checkpoint changed"
case_ csv-same-as-save 2 "--csv $o/./new.x: is the same file as --save" "$R" train "${net[@]}" --save "$o/new.x" --csv "$o/./new.x"
# a killed save's temp file is removed by the next save in that directory
( exit 0 ) & dead=$!; wait $dead
printf 'killed save' >"$o/.m.ckpt.rtviz-$dead-AbCdEfGh"
case_ stale-temp-swept 0 . "$R" train "${net[@]}" --save "$o/m.ckpt"
[ -e "$o/.m.ckpt.rtviz-$dead-AbCdEfGh" ] && bad "stale-temp-swept: the stale temp file is still there"
[ "$(tempfiles "$o")" = 0 ] || bad "temp files left in $o: $(ls -A "$o")"

# --- 4. no input hangs, no small input balloons -------------------------------------------
be32() { printf "\\$(printf '%03o' $(($1 >> 24 & 255)))\\$(printf '%03o' $(($1 >> 16 & 255)))\\$(printf '%03o' $(($1 >> 8 & 255)))\\$(printf '%03o' $(($1 & 255)))"; }
mk_images() { { printf '\0\0\10\3'; be32 "$2"; be32 "${3:-28}"; be32 "${4:-${3:-28}}"; head -c $(($2 * ${3:-28} * ${4:-${3:-28}})) /dev/zero; } >"$1"; }
mk_labels() { { printf '\0\0\10\1'; be32 "$2"; head -c "$2" /dev/zero; } >"$1"; }
mnist() { # a valid tiny mnist in $D/mnist (8 train, 4 test)
  chmod -R u+rwx "$D/mnist" 2>/dev/null; rm -rf "$D/mnist"; mkdir -p "$D/mnist"
  mk_images "$m/train-images-idx3-ubyte" 8; mk_labels "$m/train-labels-idx1-ubyte" 8
  mk_images "$m/t10k-images-idx3-ubyte" 4; mk_labels "$m/t10k-labels-idx1-ubyte" 4
}
D=$tmp/data
m=$D/mnist
T=(train --dataset mnist --epochs 1 --limit 4 --layers 1 --blocks 2 --width 4 --threads 1)
mnist
rm "$m/train-images-idx3-ubyte"; mkfifo "$m/train-images-idx3-ubyte"
case_ dataset-fifo-train 1 "train-images-idx3-ubyte: is a FIFO, not a regular file" env RTVIZ_DATA="$D" "$R" "${T[@]}"
case_ dataset-fifo-datasets 0 . env RTVIZ_DATA="$D" "$R" datasets
grep -q 'is a FIFO' "$tmp/o" || bad "dataset-fifo-datasets: the listing does not say so: $(grep -A3 '^mnist' "$tmp/o")"
mkfifo "$o/model.fifo"
case_ model-fifo-eval 1 "model.fifo: is a FIFO, not a checkpoint" "$R" eval --model "$o/model.fifo" --dataset sample
case_ model-fifo-export 1 "model.fifo: is a FIFO" "$R" export --model "$o/model.fifo" --out "$o/x.st"
case_ model-fifo-train 1 "model.fifo: is a FIFO" "$R" train "${res[@]}" --model "$o/model.fifo"
if mknod "$o/zero" c 1 5 2>/dev/null; then
  case_ model-char-device 1 "zero: is a character device" "$R" eval --model "$o/zero" --dataset sample
fi
# a 1 MB gzip IDX claiming 2^31-1 images: refused at the header, nothing allocated
mnist
{ printf '\0\0\10\3'; be32 2147483647; be32 28; be32 28; head -c $((64 << 20)) /dev/zero; } | gzip -1 >"$m/train-images-idx3-ubyte.gz"
rm "$m/train-images-idx3-ubyte"
kb=$(peak_kb env RTVIZ_DATA="$D" "$R" "${T[@]}")
if grep -q 'header claims 2147483647 images; rtviz accepts at most 1000000' "$tmp/e" && [ "$kb" -lt 200000 ]; then
  okay "idx-gz-claims-2^31 ($(stat -c %s "$m/train-images-idx3-ubyte.gz") bytes, peak $kb KB): $(tail -1 "$tmp/e")"
else bad "idx-gz-claims-2^31: peak $kb KB: $(tail -1 "$tmp/e")"; fi
ncase=$((ncase + 1))
# within the count cap but 4x the byte cap (1,000,000 images of 32x32 of zeros)
mnist
{ printf '\0\0\10\3'; be32 1000000; be32 32; be32 32; head -c $((16 << 20)) /dev/zero; } | gzip -1 >"$m/train-images-idx3-ubyte.gz"
rm "$m/train-images-idx3-ubyte"
kb=$(peak_kb env RTVIZ_DATA="$D" "$R" "${T[@]}")
if grep -q 'rtviz accepts at most 268435456 bytes' "$tmp/e" && [ "$kb" -lt 200000 ]; then
  okay "idx-gz-over-byte-cap (peak $kb KB): $(tail -1 "$tmp/e")"
else bad "idx-gz-over-byte-cap: peak $kb KB: $(tail -1 "$tmp/e")"; fi
ncase=$((ncase + 1))
# USPS: 8 MB of "1" lines (4 M samples) and a small gzip of 80 MB of them
mkdir -p "$D/usps"
printf '1 1:0\n' >"$D/usps/usps.t"
yes 1 | head -c $((8 << 20)) >"$D/usps/usps"
kb=$(peak_kb env RTVIZ_DATA="$D" "$R" train --dataset usps --epochs 1 --limit 1)
if grep -q 'more than 100000 samples' "$tmp/e" && [ "$kb" -lt 200000 ]; then
  okay "usps-8MB-of-1-lines (peak $kb KB): $(tail -1 "$tmp/e")"
else bad "usps-8MB-of-1-lines: peak $kb KB: $(tail -1 "$tmp/e")"; fi
rm "$D/usps/usps"
yes 1 | head -c $((80 << 20)) | gzip -1 >"$D/usps/usps.gz"
kb=$(peak_kb env RTVIZ_DATA="$D" "$R" train --dataset usps --epochs 1 --limit 1)
if grep -q "larger than the 67108864 bytes" "$tmp/e" && [ "$kb" -lt 300000 ]; then
  okay "usps-gz-bomb ($(stat -c %s "$D/usps/usps.gz") bytes, peak $kb KB): $(tail -1 "$tmp/e")"
else bad "usps-gz-bomb: peak $kb KB: $(tail -1 "$tmp/e")"; fi
ncase=$((ncase + 2))
# a 2 GB non-checkpoint and a checkpoint with 2 GB appended: judged by the header
truncate -s 2G "$o/big.bin"
cp "$tmp/good.ckpt" "$o/grown.ckpt"; truncate -s 2G "$o/grown.ckpt"
kb=$(peak_kb "$R" eval --model "$o/big.bin" --dataset sample)
if grep -q 'big.bin: not an rtviz checkpoint' "$tmp/e" && [ "$kb" -lt 200000 ]; then okay "ckpt-2GB-junk (peak $kb KB)"; else bad "ckpt-2GB-junk: peak $kb KB: $(tail -1 "$tmp/e")"; fi
kb=$(peak_kb "$R" eval --model "$o/grown.ckpt" --dataset sample)
if grep -q 'grown.ckpt: .*unexpected bytes' "$tmp/e" && [ "$kb" -lt 200000 ]; then okay "ckpt-2GB-appended (peak $kb KB)"; else bad "ckpt-2GB-appended: peak $kb KB: $(tail -1 "$tmp/e")"; fi
rm -f "$o/big.bin" "$o/grown.ckpt"
ncase=$((ncase + 2))
# trailing bytes after a gzip stream, like trailing bytes in a raw file; concatenated gzip is fine
mnist; gzip -n "$m/t10k-labels-idx1-ubyte"; printf 'junk' >>"$m/t10k-labels-idx1-ubyte.gz"
case_ gzip-trailing-bytes 1 't10k-labels-idx1-ubyte.gz: trailing data after the end of the gzip stream' env RTVIZ_DATA="$D" "$R" "${T[@]}"
mnist; gzip -n "$m/t10k-labels-idx1-ubyte"; head -c 512 /dev/zero >>"$m/t10k-labels-idx1-ubyte.gz"
case_ gzip-zero-padding 1 't10k-labels-idx1-ubyte.gz: trailing data' env RTVIZ_DATA="$D" "$R" "${T[@]}"
mnist; f=$m/train-images-idx3-ubyte; { head -c 1000 "$f" | gzip; tail -c +1001 "$f" | gzip; } >"$f.gz"; rm "$f"
case_ gzip-two-members 0 . env RTVIZ_DATA="$D" "$R" "${T[@]}"

# --- 5. streams and signals ----------------------------------------------------------------
s=$tmp/streams
mkdir "$s"
run2=(--dataset sample --layers 1 --blocks 2 --width 8 --epochs 3 --limit 20 --threads 1)
ncase=$((ncase + 1))
"$R" train "${run2[@]}" --save "$s/pipe.ckpt" --csv "$s/pipe.csv" 2>"$tmp/e" | head -1 >"$tmp/o"
st=("${PIPESTATUS[@]}")
if [ "${st[0]}" = 0 ] && [ "$(wc -l <"$s/pipe.csv")" = 4 ] && "$R" eval --model "$s/pipe.ckpt" >/dev/null 2>&1 &&
  grep -q 'stdout closed (broken pipe); training goes on' "$tmp/e"; then
  okay "train-pipe-head (exit ${st[0]}): 3 epochs trained, saved and logged: $(grep 'broken pipe' "$tmp/e")"
else bad "train-pipe-head: exit ${st[*]}, csv $(wc -l <"$s/pipe.csv" 2>/dev/null) lines; $(tail -2 "$tmp/e")"; fi
# SIGTERM and SIGHUP save like SIGINT, exit 128+signal
set -m
for sig in TERM HUP INT; do
  ncase=$((ncase + 1))
  rm -f "$s/sig.ckpt"
  "$R" train "${run2[@]}" --epochs 1000 --save "$s/sig.ckpt" >/dev/null 2>"$tmp/e" &
  pid=$!
  for _ in $(seq 200); do [ -s "$s/sig.ckpt" ] && break; sleep 0.05; done
  kill -s "$sig" "$pid"
  wait "$pid"
  rc=$?
  pid=
  want=$((128 + $(kill -l "$sig")))
  if [ "$rc" = "$want" ] && grep -q "interrupted (SIG$sig) at step .*; saved" "$tmp/e" && "$R" eval --model "$s/sig.ckpt" >/dev/null 2>&1; then
    okay "train-SIG$sig (exit $rc): $(tail -1 "$tmp/e")"
  else bad "train-SIG$sig: exit $rc (want $want): $(tail -2 "$tmp/e")"; fi
done
set +m
# stdout on /dev/full: exit 1 and one line; the run itself is still saved
case_ train-dev-full 1 '^rtviz train: stdout: no space left on device$' sh -c "exec \"\$0\" \"\$@\" >/dev/full" "$R" train "${net[@]}" --save "$s/full.ckpt"
"$R" eval --model "$s/full.ckpt" >/dev/null 2>&1 || bad "train-dev-full: the checkpoint was not saved"
case_ eval-dev-full 1 '^rtviz eval: stdout: no space left on device$' sh -c "exec \"\$0\" \"\$@\" >/dev/full" "$R" eval --model "$tmp/good.ckpt"
case_ datasets-dev-full 1 '^rtviz datasets: stdout: no space left on device$' sh -c "exec \"\$0\" \"\$@\" >/dev/full" "$R" datasets
case_ export-dev-full 1 '^rtviz export: stdout: ' sh -c "exec \"\$0\" \"\$@\" >/dev/full" "$R" export --model "$tmp/good.ckpt" --out "$s/x.st"
case_ help-dev-full 1 '^rtviz: stdout: no space left on device$' sh -c "exec \"\$0\" \"\$@\" >/dev/full" "$R" --help
case_ version-dev-full 1 'stdout: no space left on device' sh -c "exec \"\$0\" \"\$@\" >/dev/full" "$R" train --version
# fds 1 and 2 closed at start: nothing lands in the CSV or the checkpoint that take them
for fds in '1' '2' '1 2'; do
  ncase=$((ncase + 1))
  rm -f "$s/c.csv" "$s/c.ckpt"
  redir=""
  for f in $fds; do redir="$redir $f>&-"; done
  sh -c "exec \"\$0\" \"\$@\" $redir" "$R" train "${run2[@]}" --csv "$s/c.csv" --save "$s/c.ckpt"  >/dev/null 2>&1
  rc=$?
  if [ "$rc" = 0 ] && head -1 "$s/c.csv" | grep -q '^epoch,step,' && [ "$(grep -vc '^[0-9]' "$s/c.csv")" = 1 ] &&
    "$R" eval --model "$s/c.ckpt" >/dev/null 2>&1; then
    okay "closed-fds-$(echo $fds | tr ' ' '+') (exit $rc): CSV has only its header and rows, the checkpoint loads"
  else bad "closed-fds-$fds: exit $rc; csv: $(head -c 300 "$s/c.csv" 2>/dev/null)"; fi
done
# a CSV that cannot be written (a 4 KB tmpfs: the header fits, the first rewrite not)
# does not cost the epoch's checkpoint
mkdir "$s/tiny"
if mount -t tmpfs -o size=4k tmpfs "$s/tiny" 2>/dev/null; then
  case_ csv-full-checkpoint-saved 1 "$s/tiny/log.csv: no space left on device; the checkpoint of this epoch was saved" \
    "$R" train "${run2[@]}" --csv "$s/tiny/log.csv" --save "$s/kept.ckpt"
  "$R" eval --model "$s/kept.ckpt" >/dev/null 2>&1 || bad "csv-full-checkpoint-saved: no checkpoint"
  grep -q '^epoch,step' "$s/tiny/log.csv" || bad "csv-full-checkpoint-saved: the CSV lost its header"
  rm -f "$s/tiny/log.csv"
  head -c 4096 /dev/zero >"$s/tiny/fill" 2>/dev/null
  case_ csv-header-unwritable 1 "$s/tiny/log.csv: no space left on device" "$R" train "${run2[@]}" --csv "$s/tiny/log.csv" && no_training csv-header-unwritable
  umount "$s/tiny"
else
  echo "skip csv-full-checkpoint-saved: mount -t tmpfs is not permitted here"
fi

# --- 6. values ----------------------------------------------------------------------------
# a checkpoint whose dataset name is an escape sequence (valid CRC): printed escaped
c=$o/evil.ckpt
cp "$tmp/good.ckpt" "$c"
u32() { od -An -tu4 -j "$1" -N4 "$c" | tr -d ' '; }
nh=$(u32 48)
ns=$(u32 $((12 + 40 + 4 * nh + 4)))
off=$((12 + 40 + 4 * nh + 4 + 4 + 4 * ns + 8 + 8 + 8 + 4))
printf '\033]0;pwned\007\033[2J\n' | dd of="$c" bs=1 seek="$off" conv=notrunc 2>/dev/null
len=$(stat -c %s "$c")
head -c $((len - 4)) "$c" | gzip -c | tail -c 8 | head -c 4 >"$tmp/crc" # gzip's trailer holds the same CRC-32
dd if="$tmp/crc" of="$c" bs=1 seek=$((len - 4)) conv=notrunc 2>/dev/null
case_ ckpt-name-escapes 1 "unknown dataset '\\\\e\]0;pwned\\\\x07\\\\e\[2J\\\\n'" "$R" eval --model "$c"
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/e"; then bad "ckpt-name-escapes: an escape byte reached the terminal"; fi
[ "$(wc -l <"$tmp/e")" = 1 ] || bad "ckpt-name-escapes: the message is not one line"
case_ path-escapes 1 "m\\\\e\[31m.ckpt: no such file" "$R" eval --model "$o/m$(printf '\033')[31m.ckpt"
# error messages name the real cause, not "lacks FILE"
mnist; rm "$m/train-labels-idx1-ubyte"; mkdir "$m/train-labels-idx1-ubyte"
case_ data-file-is-directory 1 "train-labels-idx1-ubyte: is a directory, not a data file" env RTVIZ_DATA="$D" "$R" "${T[@]}"
mnist; rm "$m/t10k-images-idx3-ubyte"; ln -s t10k-images-idx3-ubyte "$m/t10k-images-idx3-ubyte"
case_ data-file-symlink-loop 1 "t10k-images-idx3-ubyte: symlink loop" env RTVIZ_DATA="$D" "$R" "${T[@]}"
if setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$R" 2>/dev/null; then
  mnist; chmod 755 "$tmp" "$D"; chmod 711 "$m"; chmod 700 "$m"
  case_ data-dir-unreadable 1 "$m/train-images-idx3-ubyte: permission denied" \
    setpriv --reuid=65534 --regid=65534 --clear-groups env RTVIZ_DATA="$D" "$R" "${T[@]}"
  chmod 755 "$m"
fi
# an image shape the network cannot take: named, exit 1, before anything is loaded
mnist; mk_images "$m/train-images-idx3-ubyte" 8 2000 2; mk_images "$m/t10k-images-idx3-ubyte" 4 2000 2
case_ shape-network-cannot-take 1 "train-images-idx3-ubyte: 1x2000x2 images: the network cannot take them" env RTVIZ_DATA="$D" "$R" "${T[@]}" && no_training shape-network-cannot-take
mnist; mk_images "$m/train-images-idx3-ubyte" 8 16; mk_images "$m/t10k-images-idx3-ubyte" 4 16
case_ shape-model-mismatch 1 "good.ckpt: the model takes 1x28x28 images and 10 classes, but .*train-images-idx3-ubyte holds 1x16x16" \
  env RTVIZ_DATA="$D" "$R" "${T[@]:0:3}" --epochs 1 --model "$tmp/good.ckpt" && no_training shape-model-mismatch

[ "$(tempfiles "$o")" = 0 ] || bad "temp files left in $o: $(ls -A "$o")"
echo "$ncase cases, $nfail failed"
[ "$nfail" = 0 ]
