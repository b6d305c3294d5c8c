/**
 * The one tfjs instance every module uses. Import `tf` from here, never from '@tensorflow/tfjs'
 * directly, so that the backend chosen at start-up (src/backend) applies everywhere.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
