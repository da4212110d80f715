//! AWS collector (aws-sdk-ec2, aws-sdk-networkfirewall). Being built.
