/**
 * Compatibility names for the video probe (src/media/video-probe.ts), kept while code written
 * against the first probe moves over; new code imports src/media/video-probe.ts directly.
 */
export { probeVideo } from '../video-probe.ts';
export type { VideoProbe as VideoInfo } from '../video-probe.ts';
