/**
 * Compatibility names for the video decoder (src/media/video-decode.ts), kept while code written
 * against the first decoder moves over; new code imports src/media/video-decode.ts directly.
 */
export { decodeVideoFrames as decodeFrames, countDecodedFrames as countDecodableFrames } from '../video-decode.ts';
export type { VideoFrame as Frame, DecodeOptions } from '../video-decode.ts';
