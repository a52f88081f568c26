"""The relay: field reports passed from circle to circle, transcribed and translated."""
