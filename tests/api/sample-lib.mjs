// The reference draw of domain/sample.c in JavaScript (docs/indicators.md, "Samples"): the
// same seed and population must give the same sample here as on the server.
const M = (1n << 64n) - 1n;

function splitmix(state) {
  state.x = (state.x + 0x9e3779b97f4a7c15n) & M;
  let z = state.x;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
  return z ^ (z >> 31n);
}

const rotl = (x, k) => ((x << BigInt(k)) | (x >> BigInt(64 - k))) & M;

function rng(seed) {
  const st = { x: BigInt(seed) };
  const s = [0, 1, 2, 3].map(() => splitmix(st));
  const next = () => {
    const r = (rotl((s[1] * 5n) & M, 7) * 9n) & M;
    const t = (s[1] << 17n) & M;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
  };
  const below = (b) => {
    const bound = BigInt(b);
    const limit = M - (M % bound);
    for (;;) {
      const v = next();
      if (v < limit) return Number(v % bound);
    }
  };
  return { next, below };
}

/** k of the ids (numbers), drawn as the server draws them: sorted, then partial Fisher–Yates. */
export function drawSample(ids, k, seed) {
  const a = [...ids].sort((x, y) => x - y);
  const r = rng(seed);
  const m = Math.min(k, a.length);
  for (let i = 0; i < m; i++) {
    const j = i + r.below(a.length - i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, m);
}

/** The margin of error at 95 % of x of n out of N (null when n is 0). */
export function margin(x, n, N) {
  if (!n) return null;
  const p = x / n;
  let m = 1.96 * Math.sqrt((p * (1 - p)) / n);
  if (N === 1) m = 0;
  else if (N > 1) m *= Math.sqrt((N - n) / (N - 1));
  return m;
}
