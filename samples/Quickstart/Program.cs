System.Console.WriteLine("AutoDiffGen quickstart");
