// Types for the tests: a Node-RED node module registers its type with the runtime it is given.
declare const register: (RED: unknown) => void;
export default register;
