// Writes N fictitious residents as CSV (Chinese headers, as offices keep them) to stdout,
// over the demo district's 60 grids, 2 per house; ID numbers carry the non-existent area
// prefix 99 and a correct GB 11643 check digit. Also writes every 1000th ID number to the
// file named by the second argument (the lookup benchmark's keys).
// usage: node scripts/bench/gen-residents.mjs N KEYS_FILE > residents.csv
import fs from 'node:fs';

const n = Number(process.argv[2] || 1000000);
const keysFile = process.argv[3];
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗';
const given = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰'];
const keys = [];
const out = process.stdout;
let chunk = '姓名,身份证号,联系电话,网格代码,楼栋,单元,房号,户号,与户主关系,人口类型,标签\n';
const perGrid = Math.ceil(n / 60);
for (let i = 0; i < n; i++) {
  // area 99xxxx (100 areas), birth date, a 3-digit serial: unique for n up to 100 × 36500 × 1000.
  const day = Math.floor(i / 100000);
  const d = new Date(Date.UTC(1940, 0, 1) + (day * 37 + (i % 1000)) * 86400000);
  const first = `99${String(i % 100).padStart(2, '0')}01` +
    `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}` +
    String(Math.floor(i / 100) % 1000).padStart(3, '0');
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += Number(first[k]) * W[k];
  const id = first + '10X98765432'[sum % 11];
  if (i % 1000 === 0) keys.push(id);
  const g = Math.floor(i / perGrid);
  const grid = `999901${String(Math.floor(g / 30) + 1).padStart(3, '0')}` +
    `${String(Math.floor(g / 6) % 5 + 1).padStart(3, '0')}${String(g % 6 + 1).padStart(3, '0')}`;
  const house = Math.floor((i % perGrid) / 2);
  const building = Math.floor(house / 48) + 1, unit = Math.floor(house / 24) % 2 + 1;
  const room = `${Math.floor(house / 2) % 12 + 1}${String(house % 2 + 1).padStart(2, '0')}`;
  const phone = `13${i % 10}${String(i).padStart(8, '0')}`;
  chunk += `${surnames[i % 20]}${given[(i >> 3) % 14]},${id},${phone},${grid},${building}号楼,` +
    `${unit}单元,${room},${house},${i % 2 ? '配偶' : '户主'},${i % 5 ? '户籍' : '流动'},` +
    `${i % 17 === 0 ? '党员' : ''}\n`;
  if (chunk.length > 1 << 20) {
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
    chunk = '';
  }
}
out.end(chunk);
if (keysFile) fs.writeFileSync(keysFile, keys.join('\n') + '\n');
