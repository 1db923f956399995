/** Environment that points a bundle's SDK clients at local servers with throwaway credentials. */
export const localAwsEnvironment = (credentials: { accessKeyId: string; secretAccessKey: string }) => ({
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
});
