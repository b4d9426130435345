/** One YAML template file of an app's preview (Deployment, Service, Ingress, ConfigMaps...). */
export interface TemplateFile {
  name: string;
  text: string;
}

/** Reads the preview templates of an app (a folder of YAML files named in the config). */
export interface PreviewTemplateSource {
  load(app: string, folder: string): Promise<TemplateFile[]>;
}
