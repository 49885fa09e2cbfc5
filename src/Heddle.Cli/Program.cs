Console.WriteLine("heddle");
