// The builder moved to shared/ (the origin's recipient emails use it too).
export { linkedInAddToProfileUrl, linkedInUrlFor, type LinkedInCertification } from "../../shared/linkedin.ts";
