/**
 * The AliExpress IOP protocol client (protocol reference §1–§4): signing, request encoding,
 * lossless JSON, answer envelopes and error classification, and the client that sends one
 * attempt. Mapping payloads to the desk's domain lives beside it (convert/, mapping/).
 */
export { IOP_DEFAULT_PARTNER_ID, IOP_DEFAULT_TIMEOUT_MS, IOP_LIMITS, IopClient, type IopCallOptions, type IopClientOptions, type IopTokenSource } from './client';
export {
  encodeIopRequest,
  FORM_CONTENT_TYPE,
  iopFormValue,
  iopJson,
  IopLong,
  iopLong,
  type IopFile,
  type IopGateway,
  type IopJsonValue,
  type IopParams,
  type IopRequestSpec,
  type IopWireRequest,
} from './encode';
export { DEFAULT_RETRY_AFTER_MS, iopList, iopListAt, readIopAnswer, wrapperKey, type IopAnswer, type IopAnswerInput } from './envelope';
export { cleanMarketplaceText, IOP_ERROR_CODE, IopError, iopFailureOutcome, SIGN_IN_AGAIN, type IopErrorInit, type IopErrorKind } from './error';
export { parseIopJson } from './json';
export { isBlankIopValue, signIop, stringToSign } from './sign';
