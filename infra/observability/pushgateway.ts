// The Pushgateway's Service is a catalogue fact (the add-on, this slice and the pipelines share it).
export { PUSHGATEWAY_SERVICE, pushgatewayAddress } from "../catalogue/pushgateway";
