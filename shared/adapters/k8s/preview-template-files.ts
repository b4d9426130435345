import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { ValidationError } from '../../errors.ts';
import type { PreviewTemplateSource, TemplateFile } from '../../ports/preview-templates.ts';

/**
 * Preview templates from a folder of `.yaml`/`.yml` files, relative to the configuration file's folder
 * (`baseDir`). Read on every deploy: cheap, and an edited template is picked up without a cold start.
 */
export function createTemplateFolderSource(baseDir: string): PreviewTemplateSource {
  return {
    async load(app, folder): Promise<TemplateFile[]> {
      const dir = isAbsolute(folder) ? folder : resolve(baseDir, folder);
      let names: string[];
      try {
        names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort();
      } catch (error) {
        throw new ValidationError(`preview templates of "${app}" not found at ${dir}`, [], { cause: error });
      }
      if (names.length === 0) throw new ValidationError(`preview templates of "${app}": no .yaml files in ${dir}`);
      return Promise.all(names.map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8') })));
    },
  };
}
