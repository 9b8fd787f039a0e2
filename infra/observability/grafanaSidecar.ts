// The sidecar's label and annotation are a catalogue fact (the add-on and this slice share them).
export { DEFAULT_DASHBOARD_LABEL, GRAFANA_FOLDER_ANNOTATION } from "../catalogue/grafana";
