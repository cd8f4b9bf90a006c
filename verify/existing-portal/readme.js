/*
 * Reads the commands and code of README.md "## Add Quanta to an existing
 * portal", so that the verification runs exactly what the README tells users
 * and fails when the section no longer has what it needs.
 */
'use strict';

const fs = require('node:fs');

const HEADING = '## Add Quanta to an existing portal';

/** The fenced code blocks of a markdown text, with the ### heading above each. */
function blocks(markdown) {
  const out = [];
  let heading = '';
  const re = /^(### .*)$|^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m; (m = re.exec(markdown)); ) {
    if (m[1]) heading = m[1].slice(4).trim();
    else out.push({ heading, lang: m[2], code: m[3] });
  }
  return out;
}

function need(value, what) {
  if (
    value === undefined ||
    value === null ||
    (Array.isArray(value) && !value.length)
  )
    throw new Error(`README.md "${HEADING}": found no ${what}`);
  return value;
}

function section(markdown) {
  const start = markdown.indexOf(`\n${HEADING}\n`);
  if (start < 0) throw new Error(`README.md has no "${HEADING}" section`);
  const rest = markdown.slice(start + HEADING.length + 2);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The `Supported Backstage release: X.Y` a README states, or undefined. */
function supportedRelease(markdown) {
  return markdown.match(/^Supported Backstage release: (\d+\.\d+)\b/m)?.[1];
}

function parse(file) {
  const text = section(fs.readFileSync(file, 'utf8'));
  const all = blocks(text);
  const under = h => all.filter(b => b.heading.startsWith(h));
  const shLines = bs =>
    bs
      .filter(b => b.lang === 'sh')
      .flatMap(b => b.code.split('\n'))
      .filter(l => /^yarn --cwd packages\/\S+ add /.test(l));

  const tarball = need(
    under('Installing from packed tarballs').find(b => b.lang === 'json'),
    'resolutions block under "### Installing from packed tarballs"',
  );
  const resolutions = need(JSON.parse(tarball.code).resolutions, 'resolutions');

  const backendBlocks = under('Backend');
  const backendAdds = need(
    shLines(backendBlocks),
    'yarn add lines under ### Backend',
  );
  const backendLines = need(
    backendBlocks
      .filter(b => b.lang === 'ts')
      .flatMap(b => b.code.split('\n'))
      .filter(l => /^backend\.add\(import\('@quanta\/[^']+'\)\);$/.test(l)),
    'backend.add lines under ### Backend',
  );
  const rulesBlock = need(
    backendBlocks.find(
      b => b.lang === 'yaml' && /catalog:\s*\n\s*rules:/.test(b.code),
    ),
    'catalog rules block under ### Backend',
  );
  const catalogAllow = need(
    /allow:\s*\[([^\]]*)\]/
      .exec(rulesBlock.code)?.[1]
      .split(',')
      .map(s => s.trim())
      .filter(Boolean),
    'allow list in the catalog rules',
  );
  if (!catalogAllow.includes('DataProduct'))
    throw new Error('README catalog rules do not allow DataProduct');

  const newFrontendAdds = need(
    shLines(under('Frontend, new frontend system')),
    'yarn add lines under ### Frontend, new frontend system',
  );

  const legacyBlocks = under('Frontend, legacy frontend system');
  const legacyFrontendAdds = need(
    shLines(legacyBlocks),
    'yarn add lines under ### Frontend, legacy',
  );
  const tsx = legacyBlocks.filter(b => b.lang === 'tsx').map(b => b.code);
  const pageBlock = need(
    tsx.find(c => c.includes('const dataProductPage')),
    'dataProductPage block',
  );
  const entityImports = need(
    /^import \{[\s\S]*?\} from '@quanta\/plugin-data-mesh';$/m.exec(
      pageBlock,
    )?.[0],
    'EntityPage imports',
  );
  const dataProductPage = need(
    /^const dataProductPage = \([\s\S]*?^\);$/m.exec(pageBlock)?.[0],
    'const dataProductPage',
  );
  const entityCase = need(
    /^<EntitySwitch\.Case if=\{isDataProductEntity\}[^\n]*\/>/m.exec(
      pageBlock,
    )?.[0],
    'EntitySwitch.Case line',
  );
  // Each group page card has its own block: an import and a grid item.
  const groupBlocks = tsx.filter(c => /<EntityGroup\w+Card/.test(c));
  need(groupBlocks.length ? groupBlocks : undefined, 'group card block');
  const groupImport = groupBlocks
    .map(block => need(/^import .*;$/m.exec(block)?.[0], 'group card import'))
    .join('\n');
  const groupCard = groupBlocks
    .map(block =>
      need(
        /^<Grid item[\s\S]*?<\/Grid>/m.exec(block)?.[0],
        'group card grid item',
      ).replace(/;$/, ''),
    )
    .join('\n');
  const routeBlock = need(
    tsx.find(c => c.includes('<Route path="/data-mesh"')),
    'route block',
  );
  const imports = routeBlock.split('\n').filter(l => l.startsWith('import '));
  const pageImport = need(
    imports.find(l => l.includes('DataMeshPage')),
    'DataMeshPage import',
  );
  const iconImport = need(
    imports.find(l => !l.includes('DataMeshPage')),
    'sidebar icon import',
  );
  const route = need(
    /^<Route path="\/data-mesh"[^\n]*\/>/m.exec(routeBlock)?.[0],
    'Route line',
  );
  const sidebarItem = need(
    /^<SidebarItem [^\n]*\/>/m.exec(routeBlock)?.[0],
    'SidebarItem line',
  );

  const fieldsBlock = need(
    tsx.find(c => c.includes('<ScaffolderFieldExtensions>')),
    'scaffolder field extensions block',
  );
  const fieldImports = fieldsBlock
    .split('\n')
    .filter(l => l.startsWith('import '))
    .join('\n');
  const scaffolderRoute = need(
    /^<Route path="\/create"[\s\S]*?^<\/Route>;$/m.exec(fieldsBlock)?.[0],
    'scaffolder Route with the field extensions',
  );

  // The README writes statements for reading (`<X />;`); in JSX they go without `;`.
  const jsx = s => s.replace(/;$/, '');
  return {
    release: need(
      supportedRelease(text),
      '"Supported Backstage release: X.Y" line',
    ),
    resolutions,
    backendAdds,
    backendLines,
    catalogAllow,
    newFrontendAdds,
    legacyFrontendAdds,
    legacy: {
      entityImports,
      dataProductPage,
      entityCase: jsx(entityCase),
      groupImport,
      groupCard: jsx(groupCard),
      pageImport,
      iconImport,
      route: jsx(route),
      fieldImports,
      scaffolderRoute: jsx(scaffolderRoute),
      sidebarItem: jsx(sidebarItem),
    },
  };
}

module.exports = { parse, supportedRelease };

if (require.main === module) {
  console.log(JSON.stringify(parse(process.argv[2] ?? 'README.md'), null, 2));
}
