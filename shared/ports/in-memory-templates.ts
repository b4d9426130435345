import { ValidationError } from '../errors.ts';
import type { PreviewTemplateSource, TemplateFile } from './preview-templates.ts';

/** The in-memory twin of PreviewTemplateSource: template files per folder, as given. */
export class InMemoryTemplates implements PreviewTemplateSource {
  readonly folders = new Map<string, TemplateFile[]>();

  constructor(folders: Record<string, TemplateFile[]> = {}) {
    for (const [folder, files] of Object.entries(folders)) this.folders.set(folder, files);
  }

  async load(app: string, folder: string): Promise<TemplateFile[]> {
    const files = this.folders.get(folder);
    if (!files || files.length === 0) throw new ValidationError(`preview templates of "${app}": no files in ${folder}`);
    return files.map((f) => ({ ...f }));
  }
}
