import { imageSize } from 'image-size';

/** What the first bytes of an image say: its format (image-size's name: `jpg`, `png`, `webp`…) and, when found, its displayed size. */
export interface ImageFacts {
  /** `undefined` when the bytes are no image format igflow knows. */
  readonly format: string | undefined;
  /** Width and height as shown (EXIF orientation applied), when the bytes read hold them. */
  readonly width?: number;
  readonly height?: number;
}

const isJpegStart = (bytes: Uint8Array) => bytes[0] === 0xff && bytes[1] === 0xd8;

/**
 * Reads an image's format and size from its first bytes with `image-size`
 * (a buffer of the first bytes is enough when the frame header is among
 * them). A JPEG whose frame header lies beyond the bytes read is a `jpg`
 * without a size.
 */
export function imageFacts(bytes: Uint8Array): ImageFacts {
  try {
    const size = imageSize(bytes);
    const turned = size.orientation !== undefined && size.orientation >= 5 && size.orientation <= 8;
    return { format: size.type, width: turned ? size.height : size.width, height: turned ? size.width : size.height };
  } catch {
    return { format: isJpegStart(bytes) ? 'jpg' : undefined };
  }
}
